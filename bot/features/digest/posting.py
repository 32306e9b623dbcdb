"""Posting the digest through the outbox: weekly on schedule, on a manager's word, never twice.

The weekly post of a week is claimed in the same transaction that enqueues it, keyed per
week, platform and channel, so two processes (or a restart) post it once. The outbox renders
each item from the kept figures at every try: links for the platform, names of members who
asked to be left out removed, and the chart drawn off the event loop.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.messages import Image, Message
from bot.core.outbox import Recipe
from bot.core.outbox_store import Announcement, enqueue
from bot.features.digest import store
from bot.features.digest.compute import compute_digest
from bot.features.digest.figures import ContentFigures, PostFigures, WeekDigest
from bot.features.digest.render import render_digest
from bot.features.digest.weeks import Week, last_full_week
from bot.features.privacy import hidden_members

if TYPE_CHECKING:
    from bot.core.app import Steward

FEATURE = "digest"
KIND = "digest:weekly"
Destination = tuple[str, str | None]  # platform, channel id (None: the managers' channel)
_TICK = timedelta(microseconds=1)
RETRY = timedelta(minutes=5)  # a weekly post that failed to be enqueued is tried again


async def destinations(app: Steward) -> list[Destination]:
    """Where the weekly digest goes on every platform: `[digest] channels` (looked up by name
    or id), the platform's own `digest_channel`, else its managers' channel."""
    found: list[Destination] = []
    for platform, adapter in app.adapters.items():
        here: list[str] = []
        for name in app.settings.digest.channels:
            channel = await adapter.find_channel(name)
            here.append(channel.channel_id if channel is not None else name)  # the outbox tells
        own = getattr(adapter, "digest_channel", "")
        if own:
            here.append(own)
        found.extend((platform, cid) for cid in dict.fromkeys(here) or [None])
    return found


def _announce(record_id: int, week: str, where: Destination, key: str | None) -> Announcement:
    platform, channel_id = where
    return Announcement(
        feature=FEATURE,
        kind=KIND,
        ref_id=record_id,
        platform=platform,
        channel_id=channel_id,
        role=week,
        label=f"the weekly digest of {week}",
        key=key,
    )


def weekly_key(week: str, where: Destination) -> str:
    return f"digest:{week}:{where[0]}:{where[1] or 'managers'}"


class DigestJob:
    """A due job: the last full week's digest, at `[digest] schedule` every week; missed while
    the bot was down, it is posted at start (the latest missed week only)."""

    name = "digest"

    def __init__(self, app: Steward) -> None:
        self.app = app
        self.started = app.clock.now()
        self.retry_at: datetime | None = None  # after a failed try: not before then

    async def next_due(self, now: datetime) -> datetime | None:
        due = await self._scheduled()
        return max(due, self.retry_at) if self.retry_at is not None else due

    async def _scheduled(self) -> datetime:
        schedule, zone = self.app.settings.digest.weekly, self.app.settings.community.zone
        latest = await self.app.store.run(store.latest_week)
        if latest is None:  # never posted: from the first moment after this start
            return schedule.next_after(self.started, zone)
        year, number = latest.split("-W")
        following = Week(int(year), int(number)).shifted(2).bounds(zone)[0]
        return schedule.next_after(following - _TICK, zone)

    async def run(self, now: datetime) -> None:
        app = self.app
        moment = app.settings.digest.weekly.latest_until(now, app.settings.community.zone)
        week = last_full_week(moment, app.settings.community.zone)
        try:
            where = await destinations(app)
            ids = await app.store.run(_post_weekly, week, where, app.settings, now)
        except Exception:  # the platform or the database failed: try again a little later
            self.retry_at = now + RETRY
            raise
        self.retry_at = None
        await app.outbox.send_now(*ids)


def _post_weekly(session, week: Week, where: list[Destination], settings, now: datetime):
    if store.is_posted(session, week.label):
        return []
    digest = compute_digest(session, week, settings, now)
    record_id = store.claim_week(session, digest, now)
    if record_id is None:
        return []
    return [
        enqueue(session, _announce(record_id, week.label, w, weekly_key(week.label, w)), now)
        for w in where
    ]


async def post_now(app: Steward, digest: WeekDigest, where: list[Destination]) -> list:
    """A manager's post of `digest` (kept as its week's figures) to `where`, now."""
    now = app.clock.now()

    def add(session) -> list[int | None]:
        record_id = store.replace_record(session, digest, now)
        return [enqueue(session, _announce(record_id, digest.week, w, None), now) for w in where]

    return await app.outbox.send_now(*await app.store.run(add))


class DigestRenderer:
    """Renders a digest item for its platform; the chart of a record is drawn once."""

    def __init__(self, app: Steward) -> None:
        self.app = app
        self._charts: OrderedDict[tuple[int, datetime], bytes] = OrderedDict()

    async def __call__(self, recipe: Recipe) -> Message | None:
        assert recipe.ref_id is not None
        digest = await self.app.store.run(store.record_digest, recipe.ref_id)
        if digest is None:
            return None
        drawn = (recipe.ref_id, digest.computed_at)  # a manager's repost replaces the figures
        chart = self._charts.get(drawn)
        if chart is None:
            chart = self._charts[drawn] = await draw_chart(digest)
            while len(self._charts) > 4:
                self._charts.popitem(last=False)
        return await message_for(self.app, digest, recipe.platform, chart)


async def message_for(
    app: Steward, digest: WeekDigest, platform: str | None, chart: bytes | None = None
) -> Message:
    """The digest as posted on `platform`: its links, no hidden member's name, its chart."""
    hidden = await app.store.run(hidden_members)
    digest = replace(
        digest, contributors=tuple(c for c in digest.contributors if c.member_id not in hidden)
    )
    if platform is not None:
        digest = replace(digest, content=_linked(app, digest.content))
    if chart is None:
        chart = await draw_chart(digest)
    image = Image(f"digest-{digest.week}.png", chart, alt=f"Weekly digest chart, {digest.week}")
    return render_digest(digest, image, platform=platform)


async def draw_chart(digest: WeekDigest) -> bytes:
    """The digest's chart, drawn on a worker thread (where matplotlib loads, on first use:
    a second or more that the event loop must not wait)."""
    return await asyncio.to_thread(_draw, digest)


def _draw(digest: WeekDigest) -> bytes:
    from bot.features.digest.chart import digest_chart

    return digest_chart(digest)


def _linked(app: Steward, content: ContentFigures) -> ContentFigures:
    def link(post: PostFigures | None) -> PostFigures | None:
        if post is None:
            return None
        found = app.message_link(post.platform, post.channel_id, post.message_id)
        return replace(post, link=found or "")

    return replace(content, best=link(content.best), worst=link(content.worst))
