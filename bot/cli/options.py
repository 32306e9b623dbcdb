"""What every `steward` command reads the same way: the settings, `--now` and the database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from bot.core.clock import ensure_utc
from bot.core.config import ConfigError, Settings, StorageConfig, find_config, load_settings
from bot.store.database import DatabaseUnavailable, Store, normalise_url


def load_cli_settings(config: Path | None, db: str | None = None) -> Settings:
    """Settings for a command: the file's (or exit 2 with one line), `--db` over [storage] url."""
    try:
        settings = load_settings(find_config(config))
    except ConfigError as exc:
        typer.echo(f"steward: configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    if db:
        try:
            settings = settings.replace(storage=StorageConfig(url=db))
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
            typer.echo(f"steward: --db {reason}", err=True)
            raise typer.Exit(2) from None
    return settings


def open_store(settings: Settings) -> Store:
    """The database of `settings`, migrated; or exit 2 with one line naming its URL."""
    try:
        return Store.open(settings.storage.url)
    except DatabaseUnavailable as exc:
        typer.echo(f"steward: {exc}", err=True)
        raise typer.Exit(2) from None


def parse_now(value: str | None) -> datetime | None:
    """An ISO `--now` as UTC, or exit 2 with one line."""
    if value is None:
        return None
    try:
        return ensure_utc(datetime.fromisoformat(value))
    except ValueError:
        typer.echo(f"steward: --now {value!r} is not an ISO date-time", err=True)
        raise typer.Exit(2) from None


def files_folder(settings: Settings, out: Path | None = None) -> Path:
    """Where the console keeps the images and files it is sent: `out`, else beside the database.

    `sqlite:///data/steward.db` keeps them in `data/steward-files/`; any other database in
    `./steward-files/`.
    """
    if out is not None:
        return out
    url = make_url(normalise_url(settings.storage.url))
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database)
        return database.parent / f"{database.stem}-files"
    return Path("steward-files")
