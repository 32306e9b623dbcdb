"""The composition root: builds the app from settings, a store, a clock and the features."""

from __future__ import annotations

from bot.app import Steward
from bot.clock import Clock
from bot.config import Settings
from bot.features import calendar, contests, feedback, help, member_stats, polls, privacy, surveys
from bot.store.database import Store

FEATURES = (help, member_stats, privacy, surveys, feedback, polls, contests, calendar)


def build_app(settings: Settings, clock: Clock, store: Store | None = None) -> Steward:
    """A ready core with every feature installed; no adapters yet, nothing started."""
    store = store or Store.open(settings.storage.url)
    app = Steward(settings, store, clock)
    for feature in FEATURES:
        feature.install(app)
    return app
