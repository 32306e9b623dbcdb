"""Surveys: a Respond button opens a form; results with averages, sentiment and a CSV."""

from bot.core.feature import Feature
from bot.features.surveys.commands import install
from bot.features.surveys.store import Survey, SurveyResponse, closed_surveys

FEATURE = Feature("surveys", install, tables=(Survey, SurveyResponse))
__all__ = ["FEATURE", "Survey", "SurveyResponse", "closed_surveys"]
