"""`steward import slack PATH` and `steward import discord FILE...`: a community's history."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.import_progress import ImportProgressShown, progress_for
from bot.cli.options import load_cli_settings, open_store
from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.export_files import BadExport, Export
from bot.core.logging_setup import configure_logging

if TYPE_CHECKING:
    from bot.core.app import Steward
    from bot.core.history_import import HistoryImport

import_cli = typer.Typer(
    help="Import a community's history: a Slack export or DiscordChatExporter JSON.",
    no_args_is_help=True,
)
ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="Configuration file (default ./steward.toml).")
]
DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL, overriding \\[storage] url.")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Read everything and show the summary; write nothing.")
]


@import_cli.command("slack")
def slack_command(
    path: Annotated[
        Path, typer.Argument(help="The export: its folder, or the .zip Slack gives you.")
    ],
    dry_run: DryRunOption = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """A Slack workspace export (Workspace settings → Import/Export Data → Export)."""
    _import("slack", [path], config, db, dry_run)


@import_cli.command("discord")
def discord_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="DiscordChatExporter JSON files (--format Json), or their folder."),
    ],
    dry_run: DryRunOption = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Channels exported with DiscordChatExporter as JSON."""
    _import("discord", files, config, db, dry_run)


def _import(
    platform: str, paths: list[Path], config: Path | None, db: str | None, dry_run: bool
) -> None:
    """Open the export (exit 2 naming what is wrong), import it, print the summary: also
    when a file is bad (exit 2), the database fails (1) or Ctrl-C stops it (130)."""
    from bot.bootstrap import build_app, open_export
    from bot.core.history_import import HistoryImport

    settings = load_cli_settings(config, db)
    configure_logging(settings, "ERROR")  # what matters is in the summary
    try:
        export = open_export(platform, paths, settings)
    except BadExport as exc:
        typer.echo(f"steward: {exc}", err=True)
        raise typer.Exit(2) from None
    app = build_app(settings, SystemClock(), open_store(settings))
    progress = progress_for(export)
    importer = HistoryImport(app, export, dry_run, progress)
    code = 2
    try:
        asyncio.run(_run(app, importer, progress))
    except KeyboardInterrupt:
        importer.summary.failed = "Ctrl-C: what it was writing when stopped is not kept"
        code = 130
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        importer.summary.failed = (
            f"a database error ({reason}): the files being written were not kept"
        )
        code = 1
    summary = importer.summary
    summary.notes.append(_questions_note(settings, export, dry_run))
    for line in summary.lines(settings.community.zone):
        typer.echo(line)
    if summary.failed:
        typer.echo(f"steward: {summary.failed}", err=True)
        raise typer.Exit(code)


def _questions_note(settings: Settings, export: Export, dry_run: bool) -> str:
    """Which of the export's channels have their questions tracked (`[inquiries]`)."""
    from bot.features.inquiries import help_channels_in

    names = settings.inquiries.help_channels
    found = help_channels_in(names, ((c.channel_id, c.name) for c in export.channels))
    if not found:
        listed = ", ".join(names) or "none"
        return f"no help channel ([inquiries] help_channels: {listed}) is in the export"
    verb = "would be" if dry_run else "are"
    return f"questions in {', '.join('#' + n for n in found)} {verb} tracked as inquiries"


async def _run(app: Steward, importer: HistoryImport, progress: ImportProgressShown) -> None:
    await app.start()
    try:
        with progress:
            await importer.run()
    finally:
        await app.stop()
        app.store.close()
