"""The `steward` command line: `run`, `console`, `db`, and each feature's sub-commands."""

from bot.cli.main import main

__all__ = ["main"]
