"""What the calendar tells the managers' channel: heads-ups, catch-up reports, failures.

Each names a post's channel by `channel_name`, which the caller sets to the current name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.messages import Button, ButtonStyle, Message, Section
from bot.features.calendar.channels import shown_name
from bot.features.calendar.store import CalendarOccurrence, CalendarPost
from bot.text.durations import format_duration
from bot.text.when import format_local

MAX_LISTED = 15


@dataclass
class CatchUp:
    """What one job run found late: told to managers in one message."""

    missed: list[tuple[CalendarPost, datetime]] = field(default_factory=list)
    late: list[tuple[CalendarPost, datetime, timedelta]] = field(default_factory=list)

    def posts(self) -> list[CalendarPost]:
        return [post for post, *_ in (*self.missed, *self.late)]


def skip_action(post_id: int, epoch: int) -> str:
    """The action id of a heads-up's skip button: `cal:skip:<post id>:<occurrence epoch>`."""
    return f"cal:skip:{post_id}:{epoch}"


def parse_skip_action(action_id: str) -> tuple[int, datetime] | None:
    """The post id and occurrence time of a skip button, or None if it is not one."""
    parts = action_id.split(":")
    if len(parts) != 4 or parts[:2] != ["cal", "skip"] or not all(p.isdigit() for p in parts[2:]):
        return None
    return int(parts[2]), datetime.fromtimestamp(int(parts[3]), UTC)


def heads_up(post: CalendarPost, occurs_at: datetime, now: datetime, zone: ZoneInfo) -> Message:
    """`⏰ In 15m: calendar post #3 …` with a one-click "Skip this one"."""
    epoch = int(occurs_at.timestamp())
    return Message(
        text=f"⏰ In {format_duration(occurs_at - now)}: calendar post #{post.id} "
        f"({post.content_type}) goes out in #{shown_name(post)} "
        f"at {format_local(occurs_at, zone)}.",
        sections=(Section(text=_preview(post)),),
        buttons=(Button("Skip this one", skip_action(post.id, epoch), ButtonStyle.DANGER),),
    )


def withdrawn(post_id: int, occurs_at: datetime, reason: str, zone: ZoneInfo) -> Message:
    """What a heads-up becomes when its post will not go out then (no button left)."""
    return Message(
        text=f"⏰ Calendar post #{post_id} will not go out at {format_local(occurs_at, zone)}: "
        f"{reason}."
    )


def catch_up_report(catch_up: CatchUp, grace: timedelta, zone: ZoneInfo) -> Message | None:
    """One message listing what was missed and what went out late; None if nothing was."""
    sections = []
    if catch_up.missed:
        lines = [_line(post, at, zone) for post, at in catch_up.missed]
        title = f"Missed — more than {format_duration(grace)} late, not sent"
        sections.append(Section(title=title, text=_capped(lines)))
    if catch_up.late:
        lines = [
            f"{_line(post, at, zone)} — sent {format_duration(delay)} late"
            for post, at, delay in catch_up.late
        ]
        sections.append(Section(title="Sent late", text=_capped(lines)))
    if not sections:
        return None
    return Message(
        text="⚠️ Calendar posts fell due while Steward was not running.", sections=tuple(sections)
    )


def failed(row: CalendarOccurrence, post: CalendarPost, zone: ZoneInfo) -> Message:
    return Message(
        text=f"❌ Calendar post #{post.id} was not published: {row.error}",
        sections=(
            Section(
                text=f"{_line(post, row.occurs_at, zone)} — gave up after {row.attempts} tries. "
                "Nothing was posted."
            ),
        ),
    )


def unconfirmed(row: CalendarOccurrence, post: CalendarPost, zone: ZoneInfo) -> Message:
    return Message(
        text=f"⚠️ Calendar post #{post.id} may not have been sent ({row.error}).",
        sections=(
            Section(
                text=f"{_line(post, row.occurs_at, zone)}. Check #{shown_name(post)}; Steward will "
                "not send it again by itself, so re-post it if it is missing."
            ),
        ),
    )


def suspended(post_id: int) -> Message:
    return Message(
        text=f"⚠️ Calendar post #{post_id} was paused: Steward could not work out its next time "
        "(see the bot's log). Check it with /calendar list, then "
        f"/calendar edit id:{post_id} or /calendar resume id:{post_id}."
    )


def _line(post: CalendarPost, at: datetime, zone: ZoneInfo) -> str:
    return f"#{post.id} [{post.content_type}] {format_local(at, zone)} in #{shown_name(post)}"


def _preview(post: CalendarPost) -> str:
    text = post.title or post.text
    return text if len(text) <= 200 else text[:199] + "…"


def _capped(lines: list[str]) -> str:
    shown = lines[:MAX_LISTED]
    if len(lines) > MAX_LISTED:
        shown.append(f"… and {len(lines) - MAX_LISTED} more")
    return "\n".join(shown)
