"""Imports every module that declares tables, so SQLModel.metadata (and Alembic) sees them all."""

from bot.store import models  # noqa: F401
