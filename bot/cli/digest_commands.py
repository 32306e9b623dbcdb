"""`steward digest [--week 2026-W12]` and `steward report --from … --to … --format …`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.options import load_cli_settings, open_store, parse_now
from bot.core.config import Settings
from bot.core.logging_setup import configure_logging

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="Configuration file (default ./steward.toml).")
]
DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL, overriding \\[storage] url.")
]
NowOption = Annotated[
    str | None, typer.Option(help="Pretend it is this time (ISO; for tests and what-ifs).")
]
WEEKS_HELP = "An ISO week (2026-W12), a date in it (2026-03-18), `last` or `this`."


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    csv = "csv"


def digest_command(
    week: Annotated[str, typer.Option(help=WEEKS_HELP)] = "last",
    config: ConfigOption = None,
    db: DbOption = None,
    now: NowOption = None,
) -> None:
    """Print one week's digest (default: the last full week)."""
    from bot.features.digest import compute_digest, digest_text

    settings, at = _settings(config, db), parse_now(now) or datetime.now(UTC)
    chosen = _week(week, "--week", at, settings)
    digest = _with_store(settings, compute_digest, chosen, settings, at)
    typer.echo(digest_text(digest))


def report_command(
    first: Annotated[str, typer.Option("--from", help=WEEKS_HELP)],
    last: Annotated[str, typer.Option("--to", help=WEEKS_HELP)] = "last",
    fmt: Annotated[ReportFormat, typer.Option("--format", help="md, html or csv.")] = (
        ReportFormat.md
    ),
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here (default: print; html needs --out).")
    ] = None,
    config: ConfigOption = None,
    db: DbOption = None,
    now: NowOption = None,
) -> None:
    """Export the weekly digests of a range of weeks: tables, objectives over time, charts."""
    from bot.features.digest import MAX_WEEKS, digests_between, write_report

    settings, at = _settings(config, db), parse_now(now) or datetime.now(UTC)
    start, end = _week(first, "--from", at, settings), _week(last, "--to", at, settings)
    if start > end:
        _fail(f"--from {first} is after --to {last}")
    if (end.monday - start.monday).days // 7 >= MAX_WEEKS:
        _fail(f"a report holds at most {MAX_WEEKS} weeks; narrow --from/--to")
    if fmt is ReportFormat.html and out is None:
        _fail("--format html writes a file: add --out report.html")
    digests = _with_store(settings, digests_between, start, end, settings, at)
    written = write_report(digests, fmt.value, out)
    if out is None:
        typer.echo(written if isinstance(written, str) else written.decode(), nl=False)
    else:
        typer.echo(f"wrote {out} ({len(digests)} weeks, {start.label} to {end.label})")


def _settings(config: Path | None, db: str | None) -> Settings:
    settings = load_cli_settings(config, db)
    configure_logging(settings, "WARNING")
    return settings


def _week(text: str, option: str, now: datetime, settings: Settings):
    from bot.features.digest import WeekError, parse_week, week_at

    zone = settings.community.zone
    try:
        return week_at(datetime.combine(date.fromisoformat(text), datetime.min.time(), zone), zone)
    except ValueError:
        pass
    try:
        return parse_week(text, now, zone)
    except WeekError as exc:
        _fail(f"{option} {exc}")


def _with_store(settings: Settings, work, *args):
    store = open_store(settings)
    try:
        return store.call(work, *args)
    finally:
        store.close()


def _fail(text: str):
    typer.echo(f"steward: {text}", err=True)
    raise typer.Exit(2)
