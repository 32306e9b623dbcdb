"""The `steward` command line."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.demo import demo_command
from bot.cli.digest_commands import digest_command, report_command
from bot.cli.import_command import import_cli
from bot.cli.manifest_command import slack_cli
from bot.cli.options import files_folder, load_cli_settings, open_store, parse_now
from bot.core.clock import OffsetClock, SystemClock, VirtualClock
from bot.core.config import Settings
from bot.core.logging_setup import configure_logging

cli = typer.Typer(
    help="Steward: a self-hosted community assistant for Discord and Slack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database maintenance.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(slack_cli, name="slack")
cli.add_typer(import_cli, name="import")
cli.command("digest")(digest_command)
cli.command("report")(report_command)
cli.command("demo")(demo_command)

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="Configuration file (default ./steward.toml).")
]
DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL, overriding \\[storage] url.")
]


def _show_version(asked: bool) -> None:
    if asked:
        typer.echo(f"steward {version('steward')}")
        raise typer.Exit()


@cli.callback()
def _options(
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Steward: a self-hosted community assistant for Discord and Slack."""


OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        file_okay=False,
        help="Folder for the images and files Steward sends (default: beside the database).",
    ),
]


@cli.command()
def run(config: ConfigOption = None, db: DbOption = None, out: OutOption = None) -> None:
    """Run the bot with every enabled adapter (the console when none is enabled)."""
    from bot.bootstrap import BUILT_PLATFORMS

    settings = load_cli_settings(config, db)
    names = settings.enabled_platforms()
    unbuilt = [name for name in names if name not in BUILT_PLATFORMS]
    if unbuilt:
        typer.echo(
            f"steward: the {' and '.join(unbuilt)} adapter is not part of this build yet; "
            "disable it to run the others",
            err=True,
        )
        raise typer.Exit(2)
    if names:
        _run_platforms(settings)
    else:
        _run_console(settings, member=None, now=None, out=out)


def _run_platforms(settings: Settings) -> None:
    """Every enabled chat platform, in real time, until SIGTERM or Ctrl-C."""
    from bot.bootstrap import platform_app
    from bot.cli.serve import serve
    from bot.core.errors import StartupError

    configure_logging(settings)
    app = platform_app(settings, SystemClock(), open_store(settings))
    try:
        asyncio.run(serve(app, real_time=True))
    except StartupError as exc:
        typer.echo(f"steward: {exc}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        pass


@cli.command()
def console(
    config: ConfigOption = None,
    db: DbOption = None,
    member: Annotated[str | None, typer.Option("--as", help="Start as this member.")] = None,
    now: Annotated[
        str | None, typer.Option(help="Start the virtual clock here (ISO, UTC unless zoned).")
    ] = None,
    out: OutOption = None,
) -> None:
    """The console adapter alone: a script on stdin, or interactive at a terminal."""
    _run_console(load_cli_settings(config, db), member, parse_now(now), out)


def _run_console(
    settings: Settings, member: str | None, now: datetime | None, out: Path | None
) -> None:
    from bot.bootstrap import build_app, console_adapter
    from bot.cli.serve import serve

    interactive = sys.stdin.isatty()
    configure_logging(settings, None if interactive else "WARNING")
    clock = OffsetClock() if interactive and now is None else VirtualClock(now)
    app = build_app(settings, clock, open_store(settings))
    app.add_adapter(console_adapter(settings, member=member, files_dir=files_folder(settings, out)))
    asyncio.run(serve(app, real_time=isinstance(clock, OffsetClock | SystemClock)))


@db_cli.command("upgrade")
def db_upgrade(config: ConfigOption = None, db: DbOption = None) -> None:
    """Create the database or bring it to the newest schema."""
    settings = load_cli_settings(config, db)
    configure_logging(settings)
    open_store(settings).close()
    typer.echo("database is up to date")


def _add_feature_clis() -> None:
    from bot.bootstrap import FEATURES
    from bot.cli.host import CommandLineHost

    for feature in FEATURES:
        if feature.cli is not None:
            cli.add_typer(feature.cli(CommandLineHost()), name=feature.name)


_add_feature_clis()


def main() -> None:
    """Entry point of the `steward` console script."""
    cli()


if __name__ == "__main__":
    main()
