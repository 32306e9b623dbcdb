"""The `steward` command line."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli_calendar import calendar_cli
from bot.clock import OffsetClock, SystemClock, VirtualClock, ensure_utc
from bot.config import ConfigError, Settings, StorageConfig, find_config, load_settings
from bot.logging_setup import configure_logging

cli = typer.Typer(
    help="Steward: a self-hosted community assistant for Discord and Slack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database maintenance.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(calendar_cli, name="calendar")

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="Configuration file (default ./steward.toml).")
]
DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL, overriding [storage] url.")
]


def _settings(config: Path | None, db: str | None = None) -> Settings:
    try:
        settings = load_settings(find_config(config))
    except ConfigError as exc:
        typer.echo(f"steward: configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    if db:
        settings = settings.replace(storage=StorageConfig(url=db))
    return settings


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return ensure_utc(datetime.fromisoformat(value))
    except ValueError:
        typer.echo(f"steward: --now {value!r} is not an ISO date-time", err=True)
        raise typer.Exit(2) from None


@cli.command()
def run(config: ConfigOption = None, db: DbOption = None) -> None:
    """Run the bot with every enabled adapter (the console when none is enabled)."""
    settings = _settings(config, db)
    if settings.discord.enabled or settings.slack.enabled:
        names = [p for p in ("discord", "slack") if getattr(settings, p).enabled]
        typer.echo(
            f"steward: the {' and '.join(names)} adapter is not part of this build yet; "
            "disable it to run the console",
            err=True,
        )
        raise typer.Exit(2)
    _run_console(settings, member=None, now=None)


@cli.command()
def console(
    config: ConfigOption = None,
    db: DbOption = None,
    member: Annotated[str | None, typer.Option("--as", help="Start as this member.")] = None,
    now: Annotated[
        str | None, typer.Option(help="Start the virtual clock here (ISO, UTC unless zoned).")
    ] = None,
) -> None:
    """The console adapter alone: a script on stdin, or interactive at a terminal."""
    _run_console(_settings(config, db), member, _parse_now(now))


def _run_console(settings: Settings, member: str | None, now: datetime | None) -> None:
    from adapters.console_adapter import ConsoleAdapter
    from bot.bootstrap import build_app
    from bot.runtime import serve

    interactive = sys.stdin.isatty()
    configure_logging(settings, None if interactive else "WARNING")
    clock = OffsetClock() if interactive and now is None else VirtualClock(now)
    app = build_app(settings, clock)
    app.add_adapter(
        ConsoleAdapter(settings.console, member=member, zone_name=settings.community.timezone)
    )
    asyncio.run(serve(app, real_time=isinstance(clock, OffsetClock | SystemClock)))


@db_cli.command("upgrade")
def db_upgrade(config: ConfigOption = None, db: DbOption = None) -> None:
    """Create the database or bring it to the newest schema."""
    from bot.store.database import make_engine, upgrade

    settings = _settings(config, db)
    configure_logging(settings)
    engine = make_engine(settings.storage.url)
    upgrade(engine)
    engine.dispose()
    typer.echo("database is up to date")


def main() -> None:
    """Entry point of the `steward` console script."""
    cli()


if __name__ == "__main__":
    main()
