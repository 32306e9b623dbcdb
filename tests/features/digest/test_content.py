"""Content performance: calendar posts published through the real calendar job, reactions
and replies fed as members (and a bot) make them, and every figure checked against a plain
count of the same script."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.features.digest.content import content_figures, summarise
from bot.features.digest.figures import ContentFigures, ContentTypeFigures, PostFigures
from bot.features.digest.weeks import Week
from tests.conftest import make_settings, open_recorded
from tests.recording import Posted, Recorded

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

WEEK = Week(2026, 10)  # Monday 2026-03-02 to Sunday 03-08; the community starts Monday 09:00
START, END = WEEK.bounds(ZoneInfo("UTC"))
SCHEDULE = (  # when (UTC), channel, type, title, text
    ("2026-03-02T10:00", "general", "article", "Release notes", "What changed in 2.0"),
    ("2026-03-03T10:00", "general", "video", "Demo", "Watch the demo"),
    ("2026-03-04T10:00", "announcements", "article", "", "Our roadmap for the spring"),
    ("2026-03-05T10:00", "general", "poll", "Best day?", "Mon | Fri"),
    ("2026-03-09T10:00", "general", "article", "Next week", "Published the week after"),
    ("2026-03-06T10:00", "managers", "announcement", "Staff only", "In the managers' channel"),
)
HEADLINES = [title or text for _, _, _, title, text in SCHEDULE]
H = timedelta(hours=1)


@dataclass(frozen=True)
class Act:
    """What a member (or a bot) does on post number `post`, `after` it went out."""

    post: int
    after: timedelta
    kind: str  # "react", "unreact" or "reply"
    who: str  # a member's name, or "bot"
    emoji: str = "👍"


ACTS = (
    Act(0, 1 * H, "react", "bob"),
    Act(0, 2 * H, "react", "cy", "🎉"),
    Act(0, 3 * H, "unreact", "cy", "🎉"),  # taken back: not counted
    Act(0, 5 * H, "reply", "dee"),
    Act(0, 6 * H, "reply", "bot"),  # a bot's reply: not counted
    Act(0, 47 * H + timedelta(minutes=59), "react", "eve"),
    Act(0, 48 * H, "react", "fay"),  # 48 hours after: too late
    Act(0, 50 * H, "reply", "gus"),  # too late
    Act(1, 1 * H, "reply", "bob"),
    Act(1, 2 * H, "reply", "cy"),
    Act(1, 3 * H, "react", "dee"),
    Act(1, 4 * H, "react", "bot"),  # a bot's reaction: not counted
    Act(1, 5 * H, "react", "eve", "❤️"),
    Act(1, 6 * H, "react", "fay"),
    Act(3, 1 * H, "react", "bob"),
    Act(3, 2 * H, "reply", "cy"),
    Act(4, 1 * H, "react", "bob"),  # the week after's post
    Act(5, 1 * H, "react", "ann"),  # in the managers' channel: not a post members see
)


def scheduled_at(index: int) -> datetime:
    return datetime.fromisoformat(SCHEDULE[index][0]).replace(tzinfo=UTC)


@pytest.fixture
async def community(any_db_url: str) -> AsyncIterator[Recorded]:
    """The SCHEDULE published by the calendar, with ACTS done on it, and a member's message
    reacted to and replied to (not a calendar post)."""
    recorded = await open_recorded(make_settings(any_db_url))
    try:
        recorded.manager("ann")
        for when, channel, kind, title, text in SCHEDULE:
            titled = f' title:"{title}"' if title else ""
            line = f'/calendar add when:{when} channel:{channel} type:{kind} text:"{text}"{titled}'
            said = await recorded.command(line, by="ann", in_="managers")
            assert said.posted_in("managers")[0].startswith("📅 Scheduled calendar post")
        chat = await recorded.post("Anyone tried 2.0?", by="bob")
        await recorded.react(chat, "👍", by="cy")
        await recorded.reply(chat, "Yes!", by="dee")
        for at, act in sorted((scheduled_at(a.post) + a.after, a) for a in ACTS):
            await recorded.advance(at - recorded.clock.now())
            await _do(recorded, act)
        yield recorded
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


async def _do(recorded: Recorded, act: Act) -> None:
    post = published(recorded)[act.post]
    who = recorded.bot if act.who == "bot" else act.who
    if act.kind == "reply":
        await recorded.reply(post, "Nice one", by=who)
    else:
        await recorded.react(post, act.emoji, by=who, added=act.kind == "react")


def published(recorded: Recorded) -> dict[int, Posted]:
    """The calendar's posts by their index in SCHEDULE."""
    found = {}
    for post in recorded.public():
        if post.text in HEADLINES:
            found[HEADLINES.index(post.text)] = post
    return found


# ---- the independent count ------------------------------------------------------------------
def expected(posts: dict[int, Posted], start: datetime, end: datetime) -> ContentFigures:
    """The figures by hand: standing reactions and replies by members within 48 hours."""
    reactions: dict[int, int] = defaultdict(int)
    replies: dict[int, int] = defaultdict(int)
    standing: dict[tuple[int, str, str], timedelta] = {}
    for act in ACTS:
        if act.who == "bot":
            continue
        if act.kind == "react":
            standing[act.post, act.who, act.emoji] = act.after
        elif act.kind == "unreact":
            del standing[act.post, act.who, act.emoji]
        elif act.after < timedelta(hours=48):
            replies[act.post] += 1
    for (index, _, _), after in standing.items():
        reactions[index] += after < timedelta(hours=48)
    shown = [
        PostFigures(
            platform=post.channel.platform,
            channel_id=post.channel.channel_id,
            message_id=post.message_id,
            content_type=SCHEDULE[index][2],
            posted_at=post.at,
            title=HEADLINES[index],
            reactions=reactions[index],
            replies=replies[index],
        )
        for index, post in sorted(posts.items())
        if post.at is not None and start <= post.at < end and post.channel.name != "managers"
    ]
    if not shown:
        return ContentFigures()
    kinds = sorted({p.content_type for p in shown})
    types = [
        ContentTypeFigures(
            kind,
            sum(p.content_type == kind for p in shown),
            sum(p.engagement for p in shown if p.content_type == kind),
        )
        for kind in kinds
    ]
    types.sort(key=lambda t: -t.engagement / t.posts)
    ranked = sorted(shown, key=lambda p: (-p.engagement, p.posted_at))
    rest = [p for p in shown if p != ranked[0]]
    return ContentFigures(
        posts=len(shown),
        engagement=sum(p.engagement for p in shown),
        types=tuple(types),
        best=ranked[0],
        worst=min(rest, key=lambda p: (p.engagement, p.posted_at)) if rest else None,
    )


def figures(recorded: Recorded, week: Week = WEEK) -> ContentFigures:
    return figures_between(recorded, *week.bounds(ZoneInfo("UTC")))


# ---- the tests ------------------------------------------------------------------------------
async def test_the_weeks_posts_by_content_type_match_a_hand_count(community: Recorded) -> None:
    posts = published(community)
    assert [posts[i].at for i in range(len(SCHEDULE))] == [
        scheduled_at(i) for i in range(len(SCHEDULE))
    ]
    got = figures(community)
    assert got == expected(posts, START, END)
    # and by hand: Release notes 2 reactions (bob, eve) + 1 reply (dee); Demo 3 + 2;
    # the roadmap nothing; the poll 1 + 1; the week after's post not here
    assert [(p.title, p.reactions, p.replies) for p in (got.best, got.worst)] == [
        ("Demo", 3, 2),
        ("Our roadmap for the spring", 0, 0),
    ]
    assert [(t.content_type, t.posts, t.engagement) for t in got.types] == [
        ("video", 1, 5),
        ("poll", 1, 2),
        ("article", 2, 3),
    ]
    assert (got.posts, got.engagement, got.average) == (4, 10, 2.5)
    assert got.best is not None and got.best.channel_id == community.channel("general").channel_id


async def test_a_late_reaction_a_removed_one_and_a_bots_reply_are_not_counted(
    community: Recorded,
) -> None:
    posts = published(community)
    monday, tuesday = _day(0), _day(1)  # windows holding one post each
    release = figures_between(community, *monday)
    assert release == expected(posts, *monday)
    # bob's and eve's reactions (eve's at 47 h 59 m); not cy's (taken back), not fay's (at
    # 48 h); dee's reply, not the bot's, not gus's (at 50 h)
    assert release.best is not None and release.best.title == "Release notes"
    assert (release.best.reactions, release.best.replies, release.worst) == (2, 1, None)
    demo = figures_between(community, *tuesday)
    assert demo == expected(posts, *tuesday)
    assert demo.best is not None and (demo.best.reactions, demo.best.replies) == (3, 2)


def _day(n: int) -> tuple[datetime, datetime]:
    return START + timedelta(days=n), START + timedelta(days=n + 1)


def figures_between(recorded: Recorded, start: datetime, end: datetime) -> ContentFigures:
    return recorded.app.store.call(content_figures, start, end)


async def test_a_week_with_one_post_has_no_worst_and_one_without_posts_is_empty(
    community: Recorded,
) -> None:
    following = figures(community, WEEK.shifted(1))
    posts = published(community)
    assert following == expected(posts, *WEEK.shifted(1).bounds(ZoneInfo("UTC")))
    assert following.best is not None and following.best.title == "Next week"
    assert (following.best.reactions, following.worst) == (1, None)
    empty = figures(community, WEEK.shifted(-1))
    assert empty == ContentFigures()
    assert (empty.best, empty.worst, empty.average, empty.types) == (None, None, None, ())


def _post(title: str, at: int, reactions: int, kind: str = "article") -> PostFigures:
    return PostFigures(
        "test", "C1", f"M{at}", kind, START + timedelta(hours=at), title, reactions=reactions
    )


def test_ties_go_to_the_earliest_post_and_the_worst_is_another_post() -> None:
    posts = [_post("first", 1, 2), _post("second", 2, 2), _post("third", 3, 2, "video")]
    got = summarise(posts)
    assert (got.best.title, got.worst.title) == ("first", "second")  # type: ignore[union-attr]
    # equal averages: the type with more posts first
    assert [t.content_type for t in got.types] == ["article", "video"]
    assert summarise([]) == ContentFigures()
