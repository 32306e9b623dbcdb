"""Objectives: managers' targets on named metrics (`/objective`), judged by the weekly digest.

The digest computes each metric's weekly value; this package says what the metrics are, how
their values read (`format_value`), and which objectives are active (`active_objectives`).
"""

from bot.core.feature import Feature
from bot.features.objectives.commands import install
from bot.features.objectives.metrics import (
    AT_LEAST,
    AT_MOST,
    METRICS,
    Kind,
    Metric,
    format_value,
    meets,
)
from bot.features.objectives.store import Objective, active_objectives

FEATURE = Feature("objectives", install, tables=(Objective,))

__all__ = [
    "AT_LEAST",
    "AT_MOST",
    "FEATURE",
    "METRICS",
    "Kind",
    "Metric",
    "Objective",
    "active_objectives",
    "format_value",
    "meets",
]
