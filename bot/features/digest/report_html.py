"""The report as one self-contained HTML page: charts embedded as PNG data URIs, styles inline,
no fonts, scripts or anything else fetched; readable in a browser and printable (A4 landscape).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from bot.features.digest.figures import WeekDigest
from bot.features.digest.report_md import title
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

Picture = tuple[str, bytes]  # (caption, PNG)

STYLE = """
body { margin: 0; background: #f3f4f6; color: #1f2328;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d8dee4; }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.note { color: #59636e; margin: 2px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px;
  font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid #e3e5e8; text-align: right; }
td { white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #eef0f3; font-weight: 600; vertical-align: bottom; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.met { color: #1a7f37; }
td.missed { color: #cf222e; font-weight: 600; }
td.not-set, td.no-data { color: #818b98; }
ul.summary { margin: 8px 0; }
figure { margin: 16px 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #e3e5e8; }
figcaption { color: #59636e; font-size: 13px; margin-top: 4px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .scroll { overflow: visible; }
  table { font-size: 9pt; }
  tr, figure { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  tbody tr:nth-child(even) { background: none; }
  td.met, td.missed { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def report_html(digests: Sequence[WeekDigest], pictures: Sequence[Picture] = ()) -> str:
    """The page for `digests` (oldest first), with `pictures` embedded after the tables."""
    heading = title(digests)
    parts = [f"<h1>{escape(heading)}</h1>"]
    parts += [f'<p class="note">{escape(note)}</p>' for note in notes(digests)]
    if digests:
        parts.append("<h2>Weekly figures</h2>")
        for group, keys in GROUPS:
            parts += [f"<h3>{escape(group)}</h3>", _weekly_table(digests, keys)]
        parts += ["<h2>Objectives over time</h2>", _objectives(digests)]
        parts += ["<h2>Charts</h2>", *(_figure(caption, png) for caption, png in pictures)]
        parts.append(_latest(digests[-1]))
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _table(heading: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table of already-escaped cells (a row's cells may carry their own <td>)."""
    head = "".join(f'<th scope="col">{cell}</th>' for cell in heading)
    body = "\n".join(
        "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return (
        f'<div class="scroll"><table>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table></div>"
    )


def _weekly_table(digests: Sequence[WeekDigest], keys: Sequence[str]) -> str:
    columns = group_columns(keys)
    heading = ["Week", *(escape(column.heading) for column in columns)]
    rows = [
        [escape(week_cell(d)), *(escape(shown(c.value(d), c.kind)) for c in columns)]
        for d in digests
    ]
    return _table(heading, rows)


def _objectives(digests: Sequence[WeekDigest]) -> str:
    found = objective_lines(digests)
    if not found:
        return '<p class="note">No objectives were set in these weeks (/objective set).</p>'
    heading = ["Week", *(f"{escape(line.name)}<br>{escape(line.goal)}" for line in found)]
    rows = []
    for index, digest in enumerate(digests):
        cells = [escape(week_cell(digest))]
        for line in found:
            text, word = objective_cell(line, line.results[index])
            cells.append(f'<td class="{word.replace(" ", "-")}">{escape(text)}</td>')
        rows.append(cells)
    summary = "".join(
        f"<li>{escape(line.name)} ({escape(line.goal)}): {escape(line.summary)}</li>"
        for line in found
    )
    return f'{_table(heading, rows)}\n<ul class="summary">{summary}</ul>'


def _figure(caption: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    size = _png_size(png)
    dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{escape(caption)}"{dimensions}>'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def _png_size(png: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header, None when it is not one."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return None
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _latest(digest: WeekDigest) -> str:
    parts = [f"<h2>Latest week: {escape(week_cell(digest))}</h2>"]
    for heading, items in latest_lists(digest):
        listed = "".join(f"<li>{escape(item)}</li>" for item in items)
        parts += [f"<h3>{escape(heading)}</h3>", f"<ul>{listed}</ul>"]
    return "\n".join(parts)
