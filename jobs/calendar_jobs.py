"""The calendar's due work: publish posts on time, heads-ups, retries, and honest catch-up.

Exactly once: every occurrence is claimed in the database (unique per post and time) before it
is sent. If the process dies between the claim and the platform's answer, the occurrence is not
sent again blindly: when the claim goes stale the job looks for the message Steward recorded;
found, it is `sent`, otherwise `unconfirmed` and the managers are asked to check the channel.
Never doubled beats never missing: a crash inside that window cannot cause a second post.

Catch-up: an occurrence found due later than `[calendar] misfire_grace` (Steward was down) is
marked missed; within the grace it goes out late. Either way the managers get one message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.calendar_post import poll_parts, render_post
from bot.calendar_store import (
    CLAIMED,
    MISSED,
    RETRY,
    CalendarOccurrence,
    CalendarPost,
    Claim,
    claim_heads_up,
    claim_next,
    claim_retry,
    due_checks,
    due_heads_up_ids,
    due_post_ids,
    mark_failed_attempt,
    mark_sent,
    mark_unconfirmed,
    next_due_at,
    settle_stale_claim,
    suspend_post,
)
from bot.calendar_when import format_local
from bot.durations import format_duration
from bot.errors import UsageError
from bot.messages import Button, ButtonStyle, Message, Section, SentMessage

if TYPE_CHECKING:
    from bot.app import Steward

log = logging.getLogger(__name__)
LATE_WORTH_TELLING = timedelta(minutes=1)
MAX_LISTED = 15
MAX_RACES = 5


class PublishError(Exception):
    """A post that could not be sent, with a reason managers understand."""


@dataclass
class CatchUp:
    """What one run found late: told to managers in one message."""

    missed: list[tuple[CalendarPost, datetime]] = field(default_factory=list)
    late: list[tuple[CalendarPost, datetime, timedelta]] = field(default_factory=list)


class CalendarJob:
    """The DueJob of the calendar; the database says what is due."""

    name = "calendar"

    def __init__(self, app: Steward) -> None:
        self.app = app

    @property
    def zone(self) -> ZoneInfo:
        return self.app.settings.community.zone

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.app.store.run(next_due_at)

    async def run(self, now: datetime) -> None:
        catch_up = CatchUp()
        await self._checks(now, catch_up)
        for post_id in await self.app.store.run(due_post_ids, now):
            await self._publish_due(post_id, now, catch_up)
        await self._report_catch_up(catch_up)
        for post_id in await self.app.store.run(due_heads_up_ids, now):
            await self._heads_up(post_id, now)

    # ---- publishing ---------------------------------------------------------------------
    async def _publish_due(self, post_id: int, now: datetime, catch_up: CatchUp) -> None:
        config = self.app.settings.calendar
        races = 0
        while True:
            try:
                claim = await self.app.store.run(
                    claim_next, post_id, now, config.misfire_grace_delta, config.heads_up_delta
                )
            except IntegrityError:
                races += 1  # another process claimed it first; ask again
                if races < MAX_RACES:
                    continue
                log.exception("calendar post %s: claims keep colliding", post_id)
                await self._suspend(post_id)
                return
            except Exception:
                log.exception("calendar post %s could not be scheduled", post_id)
                await self._suspend(post_id)
                return
            if claim is None:
                return
            if claim.outcome == MISSED:
                catch_up.missed.append((claim.post, claim.occurs_at))
            elif claim.outcome == CLAIMED:
                if now - claim.occurs_at > LATE_WORTH_TELLING:
                    catch_up.late.append((claim.post, claim.occurs_at, now - claim.occurs_at))
                await self._send(claim, now)

    async def _send(self, claim: Claim, now: datetime) -> None:
        assert claim.occurrence_id is not None
        try:
            sent = await publish(self.app, claim.post)
        except SQLAlchemyError:
            log.exception("calendar post %s: sent, but recording it failed", claim.post.id)
            row, post = await self.app.store.run(
                mark_unconfirmed, claim.occurrence_id, "recording the sent message failed", now
            )
            await self._tell_unconfirmed(row, post)
            return
        except Exception as exc:
            reason = describe_failure(exc)
            log.warning("calendar post %s could not be sent: %s", claim.post.id, reason)
            row, post = await self.app.store.run(
                mark_failed_attempt, claim.occurrence_id, reason, now
            )
            if row.status != RETRY:
                await self._tell_failed(row, post)
            return
        await self.app.store.run(
            mark_sent, claim.occurrence_id, sent.channel_id, sent.message_id, now
        )

    async def _checks(self, now: datetime, catch_up: CatchUp) -> None:
        """Retries that are due, and claims left behind by a process that died."""
        grace = self.app.settings.calendar.misfire_grace_delta
        for occurrence_id, status in await self.app.store.run(due_checks, now):
            if status == RETRY:
                claim = await self.app.store.run(claim_retry, occurrence_id, now, grace)
                if claim is not None and claim.outcome == CLAIMED:
                    await self._send(claim, now)
                elif claim is not None and claim.outcome == MISSED:
                    catch_up.missed.append((claim.post, claim.occurs_at))
            elif status == CLAIMED:
                found = await self.app.store.run(settle_stale_claim, occurrence_id, now)
                if found is not None:
                    await self._tell_unconfirmed(*found)

    async def _suspend(self, post_id: int) -> None:
        await self.app.store.run(suspend_post, post_id)
        await self._tell(
            Message(
                text=f"⚠️ Calendar post #{post_id} was paused: Steward could not work out its "
                "next time (see the bot's log). Check it with /calendar list, then "
                f"/calendar edit id:{post_id} or /calendar resume id:{post_id}."
            )
        )

    # ---- telling the managers -----------------------------------------------------------
    async def _heads_up(self, post_id: int, now: datetime) -> None:
        post = await self.app.store.run(claim_heads_up, post_id, now)
        if post is None or post.next_at is None:
            return
        epoch = int(post.next_at.timestamp())
        lead = format_duration(post.next_at - now)
        await self._tell(
            Message(
                text=f"⏰ In {lead}: calendar post #{post.id} ({post.content_type}) goes out in "
                f"#{post.channel} at {format_local(post.next_at, self.zone)}.",
                sections=(Section(text=_preview(post)),),
                buttons=(Button("Skip this one", skip_action(post.id, epoch), ButtonStyle.DANGER),),
            ),
            feature="calendar_heads_up",
            ref_id=post.id,
        )

    async def _report_catch_up(self, catch_up: CatchUp) -> None:
        if not catch_up.missed and not catch_up.late:
            return
        grace = format_duration(self.app.settings.calendar.misfire_grace_delta)
        sections = []
        if catch_up.missed:
            lines = [self._line(post, at) for post, at in catch_up.missed]
            sections.append(
                Section(title=f"Missed — more than {grace} late, not sent", text=_capped(lines))
            )
        if catch_up.late:
            lines = [
                f"{self._line(post, at)} — sent {format_duration(delay)} late"
                for post, at, delay in catch_up.late
            ]
            sections.append(Section(title="Sent late", text=_capped(lines)))
        await self._tell(
            Message(
                text="⚠️ Calendar posts fell due while Steward was not running.",
                sections=tuple(sections),
            )
        )

    async def _tell_failed(self, row: CalendarOccurrence, post: CalendarPost) -> None:
        await self._tell(
            Message(
                text=f"❌ Calendar post #{post.id} was not published: {row.error}",
                sections=(
                    Section(
                        text=f"{self._line(post, row.occurs_at)} — gave up after "
                        f"{row.attempts} tries. Nothing was posted."
                    ),
                ),
            )
        )

    async def _tell_unconfirmed(self, row: CalendarOccurrence, post: CalendarPost) -> None:
        await self._tell(
            Message(
                text=f"⚠️ Calendar post #{post.id} may not have been sent ({row.error}).",
                sections=(
                    Section(
                        text=f"{self._line(post, row.occurs_at)}. Check #{post.channel}; "
                        "Steward will not send it again by itself, so re-post it if it is missing."
                    ),
                ),
            )
        )

    def _line(self, post: CalendarPost, at: datetime) -> str:
        return f"#{post.id} [{post.content_type}] {format_local(at, self.zone)} in #{post.channel}"

    async def _tell(self, message: Message, **record) -> None:
        try:
            await self.app.notify_managers(message, **record)
        except Exception:
            log.exception("could not reach the managers' channel: %s", message.text)


async def publish(app: Steward, post: CalendarPost) -> SentMessage:
    """Send one occurrence of `post` to its channel, as a poll or a rich tagged message."""
    adapter = app.adapter(post.platform)
    channel = await adapter.find_channel(post.channel)
    if channel is None:
        raise PublishError(f"the channel #{post.channel} no longer exists")
    if post.content_type == "poll":
        from bot.features.polls import publish_poll

        question, options = poll_parts(post.title, post.text)
        return await publish_poll(
            app,
            platform=post.platform,
            channel_id=channel.channel_id,
            question=question,
            options=options,
            author=None,
            content_type="poll",
        )
    return await app.send(
        post.platform,
        channel.channel_id,
        render_post(post),
        feature="calendar",
        ref_id=post.id,
        content_type=post.content_type,
    )


def describe_failure(exc: Exception) -> str:
    """A failed send in a few words (the platform's own message when it has one)."""
    if isinstance(exc, UsageError):  # the poll feature refused the poll
        return exc.message
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, PublishError) else f"{type(exc).__name__}: {text}"


def skip_action(post_id: int, epoch: int) -> str:
    """The action id of a heads-up's skip button: `cal:skip:<post id>:<occurrence epoch>`."""
    return f"cal:skip:{post_id}:{epoch}"


def parse_skip_action(action_id: str) -> tuple[int, datetime] | None:
    """The post id and occurrence time of a skip button, or None if it is not one."""
    parts = action_id.split(":")
    if len(parts) != 4 or parts[:2] != ["cal", "skip"] or not all(p.isdigit() for p in parts[2:]):
        return None
    return int(parts[2]), datetime.fromtimestamp(int(parts[3]), UTC)


def _preview(post: CalendarPost) -> str:
    text = post.title or post.text
    return text if len(text) <= 200 else text[:199] + "…"


def _capped(lines: list[str]) -> str:
    shown = lines[:MAX_LISTED]
    if len(lines) > MAX_LISTED:
        shown.append(f"… and {len(lines) - MAX_LISTED} more")
    return "\n".join(shown)
