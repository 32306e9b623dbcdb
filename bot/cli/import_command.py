"""`steward import slack PATH` and `steward import discord FILE...`: a community's history."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.import_progress import progress_for
from bot.cli.options import load_cli_settings, open_store
from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.export_files import BadExport, Export
from bot.core.import_summary import ImportSummary
from bot.core.logging_setup import configure_logging

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
    """Open the export (exit 2 naming what is wrong), import it, print the summary."""
    from bot.bootstrap import open_export

    settings = load_cli_settings(config, db)
    configure_logging(settings, "ERROR")  # what matters is in the summary
    try:
        export = open_export(platform, paths, settings)
    except BadExport as exc:
        typer.echo(f"steward: {exc}", err=True)
        raise typer.Exit(2) from None
    summary = asyncio.run(_run(settings, export, dry_run))
    summary.notes.append(_questions_note(settings, export, dry_run))
    for line in summary.lines(settings.community.zone):
        typer.echo(line)
    if summary.failed:
        typer.echo(f"steward: {summary.failed}", err=True)
        raise typer.Exit(2)


def _questions_note(settings: Settings, export: Export, dry_run: bool) -> str:
    """Which of the export's channels had their questions tracked (`[inquiries]`)."""
    wanted = {name.lstrip("#") for name in settings.inquiries.help_channels}
    found = [c.name for c in export.channels if c.name in wanted or c.channel_id in wanted]
    if not found:
        listed = ", ".join(settings.inquiries.help_channels) or "none"
        return f"no help channel ([inquiries] help_channels: {listed}) is in the export"
    verb = "would be" if dry_run else "were"
    return f"questions in {', '.join('#' + n for n in sorted(found))} {verb} tracked as inquiries"


async def _run(settings: Settings, export: Export, dry_run: bool) -> ImportSummary:
    from bot.bootstrap import build_app
    from bot.core.history_import import HistoryImport

    app = build_app(settings, SystemClock(), open_store(settings))
    await app.start()
    try:
        with progress_for(export) as progress:
            return await HistoryImport(app, export, dry_run, progress).run()
    finally:
        await app.stop()
        app.store.close()
