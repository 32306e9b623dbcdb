"""`steward slack manifest`: the Slack app manifest to create Steward's app from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.options import load_cli_settings

PLACEHOLDER_URL = "https://YOUR-HOST/slack/events"  # Steward cannot know its public host

slack_cli = typer.Typer(help="Slack: the app manifest.", no_args_is_help=True)


@slack_cli.command("manifest")
def manifest_command(
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Configuration file (default ./steward.toml)."),
    ] = None,
    url: Annotated[
        str,
        typer.Option(
            "--url", help="Steward's public events URL (http mode): https://HOST/slack/events."
        ),
    ] = PLACEHOLDER_URL,
) -> None:
    """Print the Slack app manifest to create Steward's app from, as JSON."""
    from bot.bootstrap import slack_manifest

    settings = load_cli_settings(config)
    try:
        manifest = slack_manifest(settings, url)
    except ValueError as exc:
        typer.echo(f"steward: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(manifest, indent=2, ensure_ascii=False))
    if settings.slack.mode == "socket":
        if url != PLACEHOLDER_URL:
            typer.echo("steward: socket mode needs no request URL; --url is not used", err=True)
    elif url == PLACEHOLDER_URL:
        typer.echo(
            f"steward: replace {PLACEHOLDER_URL} in the manifest with Steward's public URL "
            "(or pass --url https://your-host/slack/events)",
            err=True,
        )
