"""Free-text feedback with sentiment, and `/feedback-summary` for managers."""

from bot.core.feature import Feature
from bot.features.feedback.commands import install
from bot.features.feedback.store import Feedback

FEATURE = Feature("feedback", install, tables=(Feedback,))
