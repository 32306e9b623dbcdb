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
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from bot.core.errors import UsageError
from bot.core.messages import Message
from bot.features.calendar import notices
from bot.features.calendar.channels import name_channels, shown_name
from bot.features.calendar.notices import CatchUp
from bot.features.calendar.posts import poll_parts, render_post
from bot.features.calendar.store import (
    CLAIMED,
    HEADS_UP_FEATURE,
    MISSED,
    RETRY,
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
    occurrence_role,
    remember_channel,
    settle_stale_claim,
    suspend_post,
)

if TYPE_CHECKING:
    from bot.core.app import Steward

log = logging.getLogger(__name__)
LATE_WORTH_TELLING = timedelta(minutes=1)
MAX_RACES = 5


class PublishError(Exception):
    """A post that could not be sent, with a reason managers understand."""


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
        occurrence_id = claim.occurrence_id

        def settle(session: Session) -> None:
            mark_sent(session, occurrence_id, now)

        try:
            await publish(self.app, claim.post, claim.occurs_at, settle)
        except SQLAlchemyError:
            log.exception("calendar post %s: sent, but recording it failed", claim.post.id)
            row, post = await self.app.store.run(
                mark_unconfirmed, claim.occurrence_id, "recording the sent message failed", now
            )
            await name_channels(self.app, [post])
            await self._tell(notices.unconfirmed(row, post, self.zone))
            return
        except Exception as exc:
            reason = describe_failure(exc)
            log.warning("calendar post %s could not be sent: %s", claim.post.id, reason)
            row, post = await self.app.store.run(
                mark_failed_attempt, claim.occurrence_id, reason, now
            )
            if row.status != RETRY:
                await name_channels(self.app, [post])
                await self._tell(notices.failed(row, post, self.zone))

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
                    row, post = found
                    await name_channels(self.app, [post])
                    await self._tell(notices.unconfirmed(row, post, self.zone))

    async def _suspend(self, post_id: int) -> None:
        await self.app.store.run(suspend_post, post_id)
        await self._tell(notices.suspended(post_id))

    async def _heads_up(self, post_id: int, now: datetime) -> None:
        post = await self.app.store.run(claim_heads_up, post_id, now)
        if post is not None and post.next_at is not None:
            await name_channels(self.app, [post])
            message = notices.heads_up(post, post.next_at, now, self.zone)
            await self._tell(message, feature=HEADS_UP_FEATURE, ref_id=post.id)

    async def _report_catch_up(self, catch_up: CatchUp) -> None:
        grace = self.app.settings.calendar.misfire_grace_delta
        await name_channels(self.app, catch_up.posts())
        report = notices.catch_up_report(catch_up, grace, self.zone)
        if report is not None:
            await self._tell(report)

    async def _tell(self, message: Message, **record) -> None:
        try:
            await self.app.notify_managers(message, **record)
        except Exception:
            log.exception("could not reach the managers' channel: %s", message.text)


async def publish(
    app: Steward, post: CalendarPost, occurs_at: datetime, settle: Callable[[Session], None]
) -> None:
    """Send the occurrence of `post` at `occurs_at` to its channel (by id), as a poll or a rich
    tagged message; `settle(session)` runs in the transaction that remembers the message (for
    a poll, which the poll feature remembers, right after).

    The channel's current name and id are remembered with it, for what is shown of it later.
    """
    adapter = app.adapter(post.platform)
    channel = await adapter.find_channel(post.channel_id)
    if channel is None:
        raise PublishError(f"the channel #{shown_name(post)} no longer exists")
    moved = (channel.channel_id, channel.name) != (post.channel_id, post.channel_name)

    def sent(session: Session) -> None:
        settle(session)
        if moved:
            remember_channel(session, post.id, channel.channel_id, channel.name)

    if post.content_type == "poll":
        from bot.features.polls import publish_poll

        question, options = poll_parts(post.title, post.text)
        await publish_poll(
            app,
            platform=post.platform,
            channel_id=channel.channel_id,
            question=question,
            options=options,
            author=None,
            content_type="poll",
        )
        await app.store.run(sent)
        return
    await app.send(
        post.platform,
        channel.channel_id,
        render_post(post),
        feature="calendar",
        ref_id=post.id,
        role=occurrence_role(occurs_at),
        content_type=post.content_type,
        settle=lambda session, _row: sent(session),
    )


def describe_failure(exc: Exception) -> str:
    """A failed send in a few words (the platform's own message when it has one)."""
    if isinstance(exc, UsageError):  # the poll feature refused the poll
        return exc.message
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, PublishError) else f"{type(exc).__name__}: {text}"
