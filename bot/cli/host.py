"""What the command line lends a feature's CLI sub-app: settings, `--now`, an app to work on."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.cli.options import files_folder, load_cli_settings, open_store, parse_now
from bot.core.app import Steward
from bot.core.clock import Clock
from bot.core.config import Settings


class CommandLineHost:
    """The `CliHost` of `steward`: errors are one line and exit 2, as for every command."""

    def settings(self, config: Path | None, db: str | None) -> Settings:
        return load_cli_settings(config, db)

    def parse_now(self, value: str | None) -> datetime | None:
        return parse_now(value)

    def open_app(self, settings: Settings, clock: Clock, platform: str) -> Steward:
        from bot.bootstrap import build_app, console_adapter

        app = build_app(settings, clock, open_store(settings))
        if platform == "console":
            app.add_adapter(console_adapter(settings, files_dir=files_folder(settings)))
        return app
