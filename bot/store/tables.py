"""Imports every module that declares tables, so SQLModel.metadata (and Alembic) sees them all."""

import bot.calendar_store
import bot.contest_store  # noqa: F401
from bot import feedback_store, poll_store, survey_store  # noqa: F401
from bot.store import models  # noqa: F401
