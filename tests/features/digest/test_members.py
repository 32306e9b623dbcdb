"""The week's members and top contributors: events recorded through the real interaction log,
and every figure checked against a plain Python count of the rows it wrote."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.core.events import MemberRef
from bot.features.digest.contributors import top_contributors
from bot.features.digest.figures import Contributor, MemberFigures
from bot.features.digest.members import member_figures
from bot.features.digest.weeks import Week
from bot.features.member_stats import ENGAGING
from bot.store.database import Store
from bot.store.models import Channel, Interaction, Member
from tests.features.digest.logged_events import (
    GENERAL,
    HELP,
    MANAGERS,
    Events,
    P,
    counted_at,
    recorded_store,
)

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = Week(2026, 13)  # 23–29 March 2026, summer time from the Sunday
START, END = WEEK.bounds(BERLIN)
DAY, TICK = timedelta(days=1), timedelta(microseconds=1)
ROBOT = MemberRef(P, "b1", "robot", is_bot=True)


def person(name: str, joined: datetime | None = None) -> MemberRef:
    return MemberRef(P, f"u-{name}", name, joined_at=joined)


# ---- the independent count ----------------------------------------------------------------
class Rows:
    """Every member, channel and interaction row, read back plainly."""

    def __init__(self, store: Store) -> None:
        with store.session() as session:
            self.members = list(session.exec(select(Member)))
            managers = {c.id for c in session.exec(select(Channel)) if c.is_admin}
            rows = list(session.exec(select(Interaction)))
        self.engaging: dict[int, list[Interaction]] = defaultdict(list)
        for row in rows:
            if row.kind in ENGAGING and row.removed_at is None and row.channel_id not in managers:
                self.engaging[row.member_id].append(row)

    def did(self, member: Member, since: datetime, until: datetime, kinds=ENGAGING) -> bool:
        return any(
            since <= row.created_at < until and row.kind in kinds
            for row in self.engaging[member.id]
        )


def joined(member: Member) -> datetime | None:
    return member.joined_at or member.first_seen_at


def before(member: Member, at: datetime) -> bool:
    return joined(member) is None or joined(member) < at


def expected_members(rows: Rows, start: datetime, end: datetime) -> MemberFigures:
    quiet = start - timedelta(days=28)
    here = [m for m in rows.members if counted_at(m, end)]
    active = [m for m in here if rows.did(m, start, end)]
    cohort = [m for m in here if not before(m, start - 7 * DAY) and before(m, start)]
    base = [m for m in here if rows.did(m, quiet, start)]
    return MemberFigures(
        total=len(here),
        new=sum(not before(m, start) for m in here),
        active=len(active),
        communicators=sum(rows.did(m, start, end, ("message", "reply")) for m in here),
        returning=sum(before(m, quiet) and not rows.did(m, quiet, start) for m in active),
        lurking=sum(before(m, start) and m not in active for m in here),
        retention_cohort=len(cohort),
        retained=sum(m in active for m in cohort),
        retention_4w_base=len(base),
        retention_4w_kept=sum(m in active for m in base),
    )


def expected_top(rows: Rows, start, end, hidden, limit: int) -> tuple[Contributor, ...]:
    found = []
    for member in rows.members:
        if member.id in hidden or not counted_at(member, end):
            continue
        kinds = Counter(r.kind for r in rows.engaging[member.id] if start <= r.created_at < end)
        person_ = Contributor(
            member.id,
            member.name,
            member.platform,
            messages=kinds["message"],
            replies=kinds["reply"],
            reactions=kinds["reaction_added"],
        )
        if person_.total:
            found.append(person_)
    return tuple(sorted(found, key=lambda c: (-c.total, c.name, c.member_id))[:limit])


# ---- a mixed community over six weeks -----------------------------------------------------
def community(seed: int) -> Events:
    """Members who join, leave, come back, fall quiet and return, around the week's edges."""
    rng = random.Random(seed)
    quiet = START - 28 * DAY
    edges = [START, END, END - TICK, quiet, quiet - TICK, START - 7 * DAY, START - TICK]
    events = Events()
    people = [
        person(f"m{n:02d}", rng.choice([None, rng.choice(edges) + rng.choice([0, 1]) * DAY]))
        for n in range(30)
    ] + [ROBOT]
    periods = [(-45, -28), (-28, 0), (0, 7), (7, 10)]  # days from START: long ago … after
    when = {who: rng.sample(periods, rng.randint(1, 3)) for who in people}
    said = []
    for n in range(350):
        who = rng.choice(people)
        first, last = rng.choice(when[who])
        at = rng.choice(edges) if rng.random() < 0.2 else START + rng.uniform(first, last) * DAY
        where = rng.choice([GENERAL, HELP, MANAGERS])
        draw = rng.random()
        if draw < 0.35 or not said:
            said.append(events.say(who, at, where))
        elif draw < 0.5:
            events.reply(who, at, rng.choice(said), where)
        elif draw < 0.75:
            to, emoji = rng.choice(said), f"e{n}"
            events.react(who, at, to, emoji=emoji, where=where)
            if rng.random() < 0.3:
                events.unreact(who, at + timedelta(minutes=1), to, emoji=emoji, where=where)
        elif draw < 0.85:
            events.click(who, at, "poll:vote:1:0", where)
        else:
            events.other(who, at, rng.choice(("join", "leave", "delete", "command")), where)
    return events


async def test_every_figure_matches_a_plain_count(any_db_url: str) -> None:
    store = await recorded_store(any_db_url, community(seed=13))
    rows = Rows(store)
    hidden = {m.id for m in rows.members[::4]}
    for week in (WEEK.shifted(-1), WEEK, WEEK.shifted(1)):
        start, end = week.bounds(BERLIN)
        assert store.call(member_figures, start, end) == expected_members(rows, start, end)
        for limit in (1, 5, 40) if week == WEEK else (5,):
            assert store.call(top_contributors, start, end, hidden, limit) == expected_top(
                rows, start, end, hidden, limit
            )
    figures = store.call(member_figures, START, END)
    assert min(figures.active, figures.lurking, figures.returning, figures.retained) > 0
    store.close()


# ---- what a reader would check by hand ----------------------------------------------------
async def test_each_figure_counts_who_just_makes_it_and_not_who_just_misses(
    any_db_url: str,
) -> None:
    long_ago = START - 60 * DAY
    events = Events()
    ann = person("ann", long_ago)  # quiet for exactly the 28 days: returning
    events.say(ann, START - 28 * DAY - TICK)
    events.say(ann, START + DAY)
    bob = person("bob", long_ago)  # spoke on the first of the 28 days: not returning
    events.say(bob, START - 28 * DAY)
    events.react(bob, END - TICK, "x")
    cai = person("cai", START - 7 * DAY)  # the first to join the week before: retained
    events.reply(cai, START, "x")
    events.other(person("dan", START - 7 * DAY - TICK), START - DAY, "command")  # lurks
    events.other(person("eve", START - TICK), START - TICK, "join")  # new last week, lurks
    events.say(person("fay", START), START)  # new this week
    events.other(person("gus"), END - TICK, "join")  # new, at the last moment
    events.other(person("hal"), END, "join")  # a week late
    jon = person("jon", long_ago)
    events.say(jon, START + DAY)
    events.other(jon, END - TICK, "leave")  # gone by the end: not counted
    kim = person("kim", long_ago)
    events.other(kim, END, "leave")  # still here at the end
    events.say(ROBOT, START + DAY)
    lea = person("lea", long_ago)
    events.say(lea, START + DAY, MANAGERS)  # only in the managers' channel: lurks
    max_ = person("max", long_ago)
    events.react(max_, START + DAY, "x")
    events.unreact(max_, START + 2 * DAY, "x")  # taken back: lurks
    store = await recorded_store(any_db_url, events)
    assert store.call(member_figures, START, END) == MemberFigures(
        total=10,  # all but hal, jon and the bot
        new=2,  # fay, gus
        active=4,  # ann, bob, cai, fay
        communicators=3,  # ann, cai, fay: bob only reacted
        returning=1,  # ann
        lurking=5,  # dan, eve, kim, lea, max
        retention_cohort=2,  # cai, eve
        retained=1,  # cai
        retention_4w_base=2,  # bob, and dan with a command
        retention_4w_kept=1,  # bob
    )
    store.close()


async def test_a_member_with_no_date_at_all_counts_as_one_here_long_ago(any_db_url: str) -> None:
    store = Store.open(any_db_url, migrate=False)
    with store.session() as session:  # as an old import may have left them
        session.add(Member(platform=P, platform_user_id="u-old", name="old"))
    assert store.call(member_figures, START, END) == MemberFigures(total=1, lurking=1)
    store.close()


async def test_an_empty_store_has_no_members_and_no_percentages(any_db_url: str) -> None:
    store = Store.open(any_db_url, migrate=False)
    figures = store.call(member_figures, START, END)
    assert figures == MemberFigures()
    assert (figures.new_member_retention_pct, figures.retention_4w_pct) == (None, None)
    assert store.call(top_contributors, START, END, set()) == ()
    store.close()


async def test_a_community_of_one(any_db_url: str) -> None:
    events = Events()
    ann = person("ann", START - 3 * DAY)
    first = events.say(ann, START - 2 * DAY)
    events.reply(ann, START + DAY, first)
    events.react(ann, START + 2 * DAY, first)
    store = await recorded_store(any_db_url, events)
    figures = store.call(member_figures, START, END)
    assert figures == MemberFigures(
        total=1,
        active=1,
        communicators=1,
        retention_cohort=1,
        retained=1,
        retention_4w_base=1,
        retention_4w_kept=1,
    )
    assert (figures.new_member_retention_pct, figures.retention_4w_pct) == (100.0, 100.0)
    [only] = store.call(top_contributors, START, END, set())
    assert (only.name, only.messages, only.replies, only.reactions) == ("ann", 0, 1, 1)
    assert store.call(top_contributors, START, END, {only.member_id}) == ()
    store.close()


async def test_top_contributors_most_first_ties_by_name_never_one_who_asked(
    any_db_url: str,
) -> None:
    events, at = Events(), START + DAY
    names = ["uma", "ted", "sam", "rex", "quin", "pia", "ola"]
    for n, name in enumerate(names):  # uma 7 messages, ted 6 … ola 1
        for _ in range(len(names) - n):
            events.say(person(name), at)
    events.react(person("abe"), at, "x")  # one reaction: ties with ola, first by name
    for _ in range(9):
        events.say(ROBOT, at)  # a bot is never a contributor
    boss = person("boss")
    for _ in range(20):
        events.say(boss, at, MANAGERS)  # the managers' channel does not count
    events.say(boss, at)
    events.react(person("zed"), at, "x", emoji="🎉")
    events.unreact(person("zed"), at, "x", emoji="🎉")  # taken back: zed contributed nothing
    store = await recorded_store(any_db_url, events)
    ids = {m.name: m.id for m in Rows(store).members}

    def top(hidden: set[str], limit: int = 5) -> list[tuple[str, int]]:
        found = store.call(top_contributors, START, END, {ids[n] for n in hidden}, limit)
        return [(c.name, c.total) for c in found]

    assert top(set()) == [("uma", 7), ("ted", 6), ("sam", 5), ("rex", 4), ("quin", 3)]
    assert top({"uma", "sam"}) == [("ted", 6), ("rex", 4), ("quin", 3), ("pia", 2), ("abe", 1)]
    assert top({"uma", "ted", "sam", "rex", "quin", "pia"}, limit=4) == [
        ("abe", 1),
        ("boss", 1),
        ("ola", 1),
    ]
    store.close()
