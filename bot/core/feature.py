"""What a feature package declares: its name, how it installs, its tables and its CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.core.app import Steward
    from bot.core.clock import Clock
    from bot.core.config import Settings


class CliHost(Protocol):
    """What the command line offers a feature's CLI sub-app (so features never import it)."""

    def settings(self, config: Path | None, db: str | None) -> Settings:
        """Settings from the file (or exit 2 with one line), `db` overriding [storage] url."""

    def parse_now(self, value: str | None) -> datetime | None:
        """An ISO `--now`, or exit 2 with one line."""

    def open_app(self, settings: Settings, clock: Clock, platform: str) -> Steward:
        """A core with every feature, and the adapter for `platform` when it can run here."""


@dataclass(frozen=True)
class Feature:
    """One feature package's entry point; `bot.bootstrap` installs each of them."""

    name: str
    install: Callable[[Steward], None]
    tables: tuple[type, ...] = ()
    cli: Callable[[CliHost], Any] | None = None  # returns a typer.Typer named `name`
