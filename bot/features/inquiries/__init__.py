"""Inquiries: member questions tracked to their first answer, with SLA alerts and stats."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from bot.core.feature import Feature
from bot.features.inquiries.help_channels import help_channels_in
from bot.features.inquiries.stats import percentile, stats_between
from bot.features.inquiries.store import Inquiry, InquiryDay, InquiryDaySummary

if TYPE_CHECKING:
    from bot.core.app import Steward
    from bot.features.inquiries.tracking import InquiryTracker

_TRACKERS: WeakKeyDictionary[Steward, InquiryTracker] = WeakKeyDictionary()


def tracker_of(app: Steward) -> InquiryTracker:
    """The inquiry tracker installed on `app` (for a replay or an import to feed it)."""
    return _TRACKERS[app]


def install(app: Steward) -> None:
    from bot.features.inquiries.alerts import install_alerts
    from bot.features.inquiries.commands import install_commands
    from bot.features.inquiries.privacy import install_privacy
    from bot.features.inquiries.tracking import InquiryTracker

    tracker = _TRACKERS[app] = InquiryTracker(app)
    install_alerts(app, tracker)
    install_commands(app, tracker)
    install_privacy(app, tracker)
    app.listen(tracker.on_event, history=True, history_in=tracker.help.on)


FEATURE = Feature("inquiries", install, tables=(Inquiry, InquiryDay, InquiryDaySummary))
__all__ = ["FEATURE", "help_channels_in", "percentile", "stats_between", "tracker_of"]
