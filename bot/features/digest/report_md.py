"""The report as Markdown: weekly tables, objectives over time, charts referenced as PNG files
written beside it (or a note saying how to get them), the latest week's lists."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.features.digest.figures import WeekDigest
from bot.features.digest.report_table import (
    GROUPS,
    group_columns,
    latest_lists,
    notes,
    objective_cell,
    objective_lines,
    shown,
    week_cell,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
Chart = tuple[str, str]  # (caption, file name beside the report)


def md(text: str) -> str:
    """Plain text on one line, Markdown's special characters escaped (a name, a cell)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def report_md(digests: Sequence[WeekDigest], charts: Sequence[Chart] | None = None) -> str:
    """The report; `charts` are PNG files written beside it, None when it goes to a terminal."""
    lines = [f"# {md(title(digests))}", ""]
    for note in notes(digests):
        lines += [md(note), ""]
    if digests:
        lines += ["## Weekly figures"]
        for heading, keys in GROUPS:
            lines += ["", f"### {heading}", "", *_weekly_table(digests, keys)]
        lines += ["", "## Objectives over time", "", *_objectives(digests)]
        lines += ["", "## Charts", "", *_charts(charts)]
        lines += _latest(digests[-1])
    return "\n".join(lines) + "\n"


def title(digests: Sequence[WeekDigest]) -> str:
    """`Café ☕ — engagement report, 2026-W11 to 2026-W14` (plain text)."""
    name = next((d.community for d in reversed(digests) if d.community), "") or "Community"
    if not digests:
        return f"{name} — engagement report"
    span = digests[0].week if len(digests) == 1 else f"{digests[0].week} to {digests[-1].week}"
    return f"{name} — engagement report, {span}"


def _table(heading: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table, the first column left, the others right-aligned."""
    rule = [":--", *("--:" for _ in heading[1:])]
    return [_row(heading), _row(rule), *(_row(row) for row in rows)]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _weekly_table(digests: Sequence[WeekDigest], keys: Sequence[str]) -> list[str]:
    columns = group_columns(keys)
    heading = ["Week", *(column.heading for column in columns)]
    rows = [[md(week_cell(d)), *(shown(c.value(d), c.kind) for c in columns)] for d in digests]
    return _table(heading, rows)


def _objectives(digests: Sequence[WeekDigest]) -> list[str]:
    found = objective_lines(digests)
    if not found:
        return ["No objectives were set in these weeks (`/objective set`)."]
    heading = ["Week", *(f"{md(line.name)} ({md(line.goal)})" for line in found)]
    rows = []
    for index, digest in enumerate(digests):
        cells = [md(objective_cell(line, line.results[index])[0]) for line in found]
        rows.append([md(week_cell(digest)), *cells])
    summary = [f"- {md(line.name)} ({md(line.goal)}): {line.summary}" for line in found]
    return [*_table(heading, rows), "", *summary]


def _charts(charts: Sequence[Chart] | None) -> list[str]:
    if charts is None:
        return [
            "Charts are written beside the report as PNG files when it is saved with "
            "`--out report.md` (or see them embedded with `--format html`)."
        ]
    return [f"![{md(caption)}]({name})" for caption, name in charts]


def _latest(digest: WeekDigest) -> list[str]:
    lines = ["", f"## Latest week: {md(week_cell(digest))}"]
    for heading, items in latest_lists(digest):
        lines += ["", f"### {heading}", "", *(f"- {md(item)}" for item in items)]
    return lines
