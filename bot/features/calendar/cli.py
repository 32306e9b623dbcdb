"""`steward calendar import FILE`: import calendar posts from a CSV or ICS file, all or nothing."""

from __future__ import annotations

import asyncio
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from bot.core.config import PLATFORMS
from bot.core.feature import CliHost
from bot.features.calendar.import_rows import Defaults
from bot.features.calendar.posts import CONTENT_TYPES

ContentType = Enum("ContentType", {name: name for name in CONTENT_TYPES}, type=str)


def calendar_cli(host: CliHost) -> typer.Typer:
    """`steward calendar …`: the content calendar's command line."""
    cli = typer.Typer(help="The content calendar.", no_args_is_help=True)
    cli.command("import")(_import_command(host))
    return cli


def _import_command(host: CliHost):
    def import_command(
        file: Annotated[
            Path, typer.Argument(help="A CSV or ICS file.", exists=True, dir_okay=False)
        ],
        skip_bad: Annotated[
            bool, typer.Option("--skip-bad", help="Import the good rows even if some are bad.")
        ] = False,
        config: Annotated[
            Path | None, typer.Option("--config", "-c", help="Configuration file.")
        ] = None,
        db: Annotated[
            str | None, typer.Option("--db", help="Database URL, overriding \\[storage] url.")
        ] = None,
        platform: Annotated[
            str | None,
            typer.Option(help="Platform the posts go out on (default: the enabled one)."),
        ] = None,
        author: Annotated[
            str, typer.Option("--as", help="Recorded as the author.")
        ] = "command line",
        now: Annotated[
            str | None, typer.Option(help="Pretend it is this time (ISO; for tests and dry runs).")
        ] = None,
        channel: Annotated[
            str | None,
            typer.Option(
                help="Channel for the posts that name none (an ICS LOCATION not a channel)."
            ),
        ] = None,
        content_type: Annotated[
            ContentType | None,
            typer.Option("--type", help="Content type for the posts that name none."),
        ] = None,
    ) -> None:
        """Check every row; import them only if all are good (or with --skip-bad, the good ones)."""
        settings = host.settings(config, db)
        chosen = _platform(settings, platform)
        defaults = Defaults(channel or "", content_type.value if content_type else "")
        try:
            message, succeeded = asyncio.run(
                _import(
                    host, settings, chosen, file, skip_bad, author, host.parse_now(now), defaults
                )
            )
        except ValueError as exc:  # ImportFileError: the file as a whole is unusable
            typer.echo(f"steward: nothing imported: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(message)
        if not succeeded:
            raise typer.Exit(1)

    return import_command


def _platform(settings, asked: str | None) -> str:
    """The platform the posts go out on: the enabled one by default; one asked for must be
    enabled in the configuration (or be the console), else one line and exit 2."""
    enabled = settings.enabled_platforms()
    if asked is None:
        return enabled[0] if enabled else "console"
    valid = [*enabled, "console"]
    if asked.strip().lower() in valid:
        return asked.strip().lower()
    name = asked.strip().lower()
    why = (
        f"no {name.capitalize()} adapter is configured ([{name}] enabled = false)"
        if name in PLATFORMS
        else "not a platform"
    )
    typer.echo(f"steward: --platform {asked}: {why}; choose {' or '.join(valid)}.", err=True)
    raise typer.Exit(2)


async def _import(
    host: CliHost,
    settings,
    platform: str,
    file: Path,
    skip_bad: bool,
    author: str,
    now,
    defaults: Defaults,
):
    from bot.core.clock import SystemClock, VirtualClock
    from bot.core.markup import plain
    from bot.features.calendar.import_report import render_import
    from bot.features.calendar.importing import import_file

    app = host.open_app(settings, VirtualClock(now) if now else SystemClock(), platform)
    try:
        result = await import_file(
            app,
            platform=platform,
            filename=file.name,
            data=file.read_bytes(),
            author=None,  # not a member: named in each post's source instead
            imported_by=author,
            skip_bad=skip_bad,
            defaults=defaults,
        )
    finally:
        app.store.close()
    text = plain(render_import(result).plain_text())
    if platform not in app.adapters:
        text += f"\n(Channels are checked when each post goes out: {platform} is not connected.)"
    return text, bool(result.imported) or result.nothing_new
