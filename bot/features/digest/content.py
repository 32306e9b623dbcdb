"""Content performance: the week's calendar posts (and the polls it posted) by content type,
each with the reactions and replies members gave it within 48 hours of its going out. A poll a
member opened with `/poll create` is not calendar content.

A calendar post is a bot message with a content type (BotMessage.content_type). The log
points at it from what is on it: a reply's `parent_message_id` is the post, and so is a
reaction's (its `message_id` too), on the post's platform and in the post's channel (a Slack
`ts` is unique only within its channel); both carry the post's content type, which puts them
in the log's index of interactions on posts. Bots' reactions and replies, reactions taken
back, and posts in the managers' channel are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, and_, false, or_, select, text, true, type_coerce
from sqlmodel import Session, col

from bot.core.events import EventKind
from bot.features.calendar import post_titles
from bot.features.digest.figures import ContentFigures, ContentTypeFigures, PostFigures
from bot.features.polls import poll_questions
from bot.store.models import ON_A_POST, BotMessage, Channel, Interaction, Member

ENGAGEMENT_WINDOW = timedelta(hours=48)
CALENDAR, POLL = "calendar", "poll"  # BotMessage.feature of calendar posts and of polls
ENGAGING = (EventKind.REACTION_ADDED.value, EventKind.REPLY.value)
PostKey = tuple[str, str, str]  # (platform, platform channel id, platform message id)


def content_figures(session: Session, start: datetime, end: datetime) -> ContentFigures:
    """The calendar posts that went out at or after `start` and before `end`, by type."""
    rows = _posts(session, start, end)
    titles = _titles(session, rows)
    rows = [r for r in rows if r.feature != POLL or (POLL, r.ref_id) in titles]  # scheduled
    if not rows:
        return ContentFigures()
    keys = [(row.platform, row.channel_id, row.platform_message_id) for row in rows]
    since = {key: row.created_at for key, row in zip(keys, rows, strict=True)}
    counts = _count(session, since, _engagement(session, keys, start, end + ENGAGEMENT_WINDOW))
    posts = [
        PostFigures(
            platform=row.platform,
            channel_id=row.channel_id,
            message_id=row.platform_message_id,
            content_type=row.content_type or "",
            posted_at=row.created_at,
            title=titles.get((row.feature, row.ref_id), ""),
            reactions=counts[EventKind.REACTION_ADDED.value, key],
            replies=counts[EventKind.REPLY.value, key],
        )
        for key, row in zip(keys, rows, strict=True)
    ]
    return summarise(posts)


def summarise(posts: list[PostFigures]) -> ContentFigures:
    """Posts (first posted first) by content type, most engaging per post first; the best
    post and, of two or more, the worst other one (ties: the earliest)."""
    if not posts:
        return ContentFigures()
    by_type: dict[str, list[PostFigures]] = defaultdict(list)
    for post in posts:
        by_type[post.content_type].append(post)
    types = [
        ContentTypeFigures(kind, len(group), sum(p.engagement for p in group))
        for kind, group in by_type.items()
    ]
    types.sort(key=lambda t: (-(t.average or 0.0), -t.posts, t.content_type))
    best = max(posts, key=lambda p: p.engagement)  # max and min keep the first of a tie
    others = [p for p in posts if p is not best]
    return ContentFigures(
        posts=len(posts),
        engagement=sum(p.engagement for p in posts),
        types=tuple(types),
        best=best,
        worst=min(others, key=lambda p: p.engagement) if others else None,
    )


def _posts(session: Session, start: datetime, end: datetime) -> list[BotMessage]:
    """The week's bot messages with a content type, outside the managers' channel."""
    channel = and_(
        Channel.platform == BotMessage.platform,
        Channel.platform_channel_id == BotMessage.channel_id,
    )
    query = (
        select(BotMessage)
        .join(Channel, channel, isouter=True)
        .where(
            col(BotMessage.content_type).is_not(None),
            BotMessage.created_at >= start,
            BotMessage.created_at < end,
            or_(col(Channel.is_admin).is_(None), Channel.is_admin == false()),
        )
        .order_by(BotMessage.created_at, BotMessage.id)
    )
    return list(session.scalars(query).all())


def _engagement(session: Session, keys: list[PostKey], start: datetime, until: datetime):
    """Members' (not bots') reactions (not taken back) and replies on the posts' messages,
    between `start` and `until`: (kind, platform, channel row id, message, when) rows, read
    from the index on posts alone; times as the database gives them (naive UTC on SQLite),
    not each made aware, for the tens of thousands of rows a busy week has."""
    bots = select(Member.id).where(Member.is_bot == true())
    query = select(
        Interaction.kind,
        Interaction.platform,
        Interaction.channel_id,
        Interaction.parent_message_id,
        type_coerce(Interaction.created_at, DateTime()),
    ).where(
        text(ON_A_POST),  # as the index on posts is defined, so that it is used
        col(Interaction.platform).in_({platform for platform, _, _ in keys}),
        col(Interaction.parent_message_id).in_({message for _, _, message in keys}),
        col(Interaction.kind).in_(ENGAGING),
        col(Interaction.removed_at).is_(None),
        Interaction.created_at >= start,
        Interaction.created_at < until,
        col(Interaction.member_id).not_in(bots),
    )
    return session.execute(query)


def _count(
    session: Session, since: dict[PostKey, datetime], rows: Iterable
) -> dict[tuple[str, PostKey], int]:
    """How many rows of each kind fall on each post within ENGAGEMENT_WINDOW of its going out."""
    channels = _channel_ids(session)
    naive = {key: at.astimezone(UTC).replace(tzinfo=None) for key, at in since.items()}
    counts: dict[tuple[str, PostKey], int] = defaultdict(int)
    for kind, platform, channel, message, at in rows:
        key = (platform, channels.get(channel, ""), message)
        posted = (naive if at.tzinfo is None else since).get(key)
        if posted is not None and posted <= at < posted + ENGAGEMENT_WINDOW:
            counts[kind, key] += 1
    return counts


def _channel_ids(session: Session) -> dict[int, str]:
    """Every channel's platform id, by its row id."""
    return dict(session.execute(select(Channel.id, Channel.platform_channel_id)).all())


def _titles(session: Session, rows: list[BotMessage]) -> dict[tuple[str, int | None], str]:
    """What each post is called: a calendar post's title, a poll's question."""
    ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.ref_id is not None:
            ids[row.feature].add(row.ref_id)
    found = {
        CALENDAR: post_titles(session, ids[CALENDAR]),
        POLL: poll_questions(session, ids[POLL], scheduled_only=True),
    }
    return {
        (feature, ref): title for feature, titles in found.items() for ref, title in titles.items()
    }
