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
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    column,
    false,
    func,
    or_,
    select,
    text,
    true,
)
from sqlmodel import Session, col

from bot.core.events import EventKind
from bot.features.calendar import post_titles
from bot.features.digest.figures import ContentFigures, ContentTypeFigures, PostFigures
from bot.features.polls import poll_questions
from bot.store.models import ON_A_POST, BotMessage, Channel, Interaction, Member, UTCDateTime

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
    counts = _engagement(session, keys, since)
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


def _engagement(
    session: Session, posts: list[PostKey], since: dict[PostKey, datetime]
) -> dict[tuple[str, PostKey], int]:
    """Members' (not bots') reactions (not taken back) and replies on each post within
    ENGAGEMENT_WINDOW of its going out, by (kind, post), counted in the database: each post
    is a range of the index on posts (its platform, message and window) and its channel."""
    channels = _channel_rows(session)
    found = [(key, channels.get(key[:2])) for key in posts]
    found = [(key, row) for key, row in found if row is not None]  # no channel: nothing on it
    counts: dict[tuple[str, PostKey], int] = defaultdict(int)
    for first in range(0, len(found), POSTS_PER_STATEMENT):
        chunk = found[first : first + POSTS_PER_STATEMENT]
        params: dict = {}
        for n, (key, row) in enumerate(chunk):
            params |= {f"p{n}": key[0], f"m{n}": key[2], f"c{n}": row}
            params |= {f"lo{n}": since[key], f"hi{n}": since[key] + ENGAGEMENT_WINDOW}
        for n, kind, count in session.execute(_engagement_query(len(chunk)), params):
            counts[kind, chunk[n][0]] += count
    return counts


POSTS_PER_STATEMENT = 500  # five parameters each, well within every database's limit


@cache
def _engagement_query(posts: int):
    """Rows on each of `posts` posts (parameters p<n>, m<n>, c<n>, lo<n>, hi<n>) by kind."""
    p = _posts_table(posts)
    log = Interaction
    bots = select(Member.id).where(Member.is_bot == true())
    return (
        select(p.c.n, log.kind, func.count())
        .select_from(p)
        .join(
            log,
            and_(
                text(ON_A_POST),  # as the index on posts is defined, so that it is used
                log.platform == p.c.platform,
                log.parent_message_id == p.c.message,
                log.created_at >= p.c.lo,
                log.created_at < p.c.hi,
            ),
        )
        .where(
            log.channel_id == p.c.channel,
            col(log.kind).in_(ENGAGING),
            col(log.removed_at).is_(None),
            col(log.member_id).not_in(bots),
        )
        .group_by(p.c.n, log.kind)
    )


def _posts_table(posts: int):
    """The posts as a table (n, platform, message, channel, lo, hi), written out."""
    at = UTCDateTime()
    names = ("p", "m", "c", "lo", "hi")
    rows = ", ".join(
        "(" + ", ".join([str(n)] + [f":{x}{n}" for x in names]) + ")" for n in range(posts)
    )
    columns = "column1 AS n, column2 AS platform, column3 AS message, column4 AS channel"
    table = text(f"SELECT {columns}, column5 AS lo, column6 AS hi FROM (VALUES {rows}) AS v")
    kinds = {"p": String(), "m": String(), "c": Integer(), "lo": at, "hi": at}
    bounds = (bindparam(f"{x}{n}", type_=kinds[x]) for n in range(posts) for x in names)
    return (
        table.bindparams(*bounds)
        .columns(
            column("n", Integer),
            column("platform", String),
            column("message", String),
            column("channel", Integer),
            column("lo", at),
            column("hi", at),
        )
        .cte("posts")
    )


def _channel_rows(session: Session) -> dict[tuple[str, str], int]:
    """Every channel's row id, by (platform, platform channel id)."""
    found = session.execute(select(Channel.platform, Channel.platform_channel_id, Channel.id))
    return {(platform, channel): row for platform, channel, row in found}


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
