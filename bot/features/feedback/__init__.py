"""Free-text feedback with sentiment, and `/feedback-summary` for managers."""

from bot.core.feature import Feature
from bot.features.feedback.commands import install
from bot.features.feedback.store import Feedback, feedback_during

FEATURE = Feature("feedback", install, tables=(Feedback,))
__all__ = ["FEATURE", "Feedback", "feedback_during"]
