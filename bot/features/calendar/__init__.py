"""The content calendar: scheduled posts, heads-ups, CSV/ICS import, `steward calendar`."""

from bot.core.feature import Feature
from bot.features.calendar.cli import calendar_cli
from bot.features.calendar.commands import install
from bot.features.calendar.store import CalendarOccurrence, CalendarPost, post_titles

FEATURE = Feature("calendar", install, tables=(CalendarPost, CalendarOccurrence), cli=calendar_cli)
__all__ = ["FEATURE", "CalendarOccurrence", "CalendarPost", "post_titles"]
