"""Initiatives closed in a week: polls, surveys and contests run through the real commands and
buttons over two weeks, every figure checked against what the script did, counted by hand."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.features.digest.figures import ClosedContest, ClosedPoll, ClosedSurvey, Initiatives
from bot.features.digest.initiatives import HIDDEN_NAME, closed_initiatives, entries_between
from bot.features.digest.weeks import Week
from bot.store.models import Member
from tests.conftest import START, make_settings, open_recorded
from tests.recording import Posted, Recorded, Said

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

WEEK = Week(2026, 10)  # Monday 2026-03-02 (START) to Sunday 03-08
EARLIER = WEEK.shifted(-1)
UTC_ZONE = ZoneInfo("UTC")
POLL = "/poll create question:{q} options:{o} closes:{c}"
SURVEY = '/survey create title:"{t}" questions:"{q}" closes:{c}'


class Script:
    """The community, and who did what when (for the hand count of active members)."""

    def __init__(self, recorded: Recorded) -> None:
        self.recorded = recorded
        self.log: list[tuple[datetime, str]] = []
        self.said = Said()
        recorded.manager("mia")

    async def command(self, line: str, by: str) -> Said:
        where = "managers" if by == "mia" else "general"
        return self._note(by, await self.recorded.command(line, by=by, in_=where))

    async def click(self, post: Posted, label: str, by: str) -> Said:
        return self._note(by, await self.recorded.click(post, label, by=by))

    async def post(self, text: str, by: str) -> None:
        await self.recorded.post(text, by=by)
        self._note(by, Said())

    async def respond(self, survey: Posted, by: str, *answers: str) -> None:
        await self.click(survey, "Respond", by)
        self._note(by, await self.recorded.submit(*answers, by=by))

    async def advance(self, duration: str) -> None:
        self.said += await self.recorded.advance(duration)

    def _note(self, by: str, said: Said) -> Said:
        self.log.append((self.recorded.clock.now(), by))
        self.said += said
        return said

    def active(self, since: datetime, until: datetime) -> int:
        """Members who did anything after `since`, up to `until` (a poll's turnout base)."""
        return len({who for at, who in self.log if since < at <= until})


@pytest.fixture
async def script(any_db_url: str) -> AsyncIterator[Script]:
    recorded = await open_recorded(make_settings(any_db_url), start=START - timedelta(days=7))
    try:
        s = Script(recorded)
        # the week before: a poll that closes in it, a contest that closes the week after
        await s.command(POLL.format(q='"Old poll?"', o='"Yes | No"', c="1d"), "you")
        await s.click(_public(s, "poll")[-1], "Yes", "bob")
        await s.command('/contest create title:"Long contest" closes:10d', "mia")
        await s.command("/contest enter id:1", "eve")
        await s.advance("7d")
        # the week: a poll closing in it, one closing at its very end, surveys and contests
        await s.command(POLL.format(q='"Best AMA day?"', o='"Mon | Wed | Fri"', c="1d"), "you")
        ama = _public(s, "poll")[-1]
        for who, choice in (("bob", "Mon"), ("cy", "Fri"), ("dee", "Fri")):
            await s.click(ama, choice, who)
        await s.post("hello all", "eve")
        await s.command(POLL.format(q='"Boundary?"', o='"A | B"', c="2026-03-09T00:00"), "you")
        questions = "How useful was it? (1-5) | What should we change?"
        await s.command(SURVEY.format(t="March meetup", q=questions, c="2d"), "mia")
        survey = _public(s, "survey")[-1]
        await s.respond(survey, "bob", "5", "More workshops")
        await s.respond(survey, "cy", "4", "Longer breaks")
        await s.command(SURVEY.format(t="Later survey", q="Anything?", c="14d"), "mia")
        await s.command('/contest create title:"Best photo" closes:2d winners:2', "mia")
        for who in ("bob", "cy", "dee"):
            await s.command("/contest enter id:2", who)
        for who in ("gus", "hal"):
            await s.command("/contest enter id:1", who)
        await s.command("/contest remove id:1 member:hal", "mia")
        await s.advance("7d")
        yield s
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


def _public(s: Script, tag: str) -> list[Posted]:
    return s.recorded.public(tag=tag)


def winners(s: Script, contest_id: int) -> list[str]:
    """The winners the contest's announcement names, in its order."""
    [text] = [
        p.text for p in _public(s, "contest") if p.text.startswith(f"🎉 Contest #{contest_id} ")
    ]
    found = re.search(r"winners?: (.*)$", text.splitlines()[0])
    assert found, text
    return found.group(1).split(", ")


def member_id(s: Script, name: str) -> int:
    return s.recorded.app.store.call(
        lambda session: session.exec(select(Member.id).where(Member.name == name)).one()
    )


def initiatives(s: Script, week: Week, hidden: frozenset[int] = frozenset()) -> Initiatives:
    return s.recorded.app.store.call(closed_initiatives, *week.bounds(UTC_ZONE), hidden)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# ---- the tests ------------------------------------------------------------------------------
async def test_the_weeks_polls_surveys_and_contests_match_the_script_hidden_winner_unnamed(
    script: Script,
) -> None:
    week = initiatives(script, WEEK)
    # the AMA poll: opened Monday 09:00, closed Tuesday 09:00; its base is everyone active in
    # the seven days before the close (all eight of them acted on Monday)
    base = script.active(at("2026-02-24T09:00"), at("2026-03-03T09:00"))
    assert base == 8
    assert week.polls == (
        ClosedPoll(
            poll_id=2,
            question="Best AMA day?",
            voters=3,
            turnout_pct=100 * 3 / base,
            results=(("Mon", 1), ("Wed", 0), ("Fri", 2)),
            winners=("Fri",),
        ),
    )
    [results] = [p for p in script.recorded.public() if p.text.startswith("Results: Best AMA")]
    assert "Turnout: 3 voters of 8 members active that week (38%)" in results.plain
    assert week.surveys == (ClosedSurvey(1, "March meetup", 2),)  # "Later survey" still open
    # closed first first: Best photo on Wednesday, Long contest (hal's entry removed) Thursday
    assert week.contests == (
        ClosedContest(2, "Best photo", 3, tuple(winners(script, 2))),
        ClosedContest(1, "Long contest", 2, tuple(winners(script, 1))),
    )
    assert len(winners(script, 2)) == 2 and set(winners(script, 2)) <= {"bob", "cy", "dee"}
    assert winners(script, 1)[0] in ("eve", "gus")
    # a winner who asked not to be named
    first, second = winners(script, 2)
    hidden = frozenset({member_id(script, first)})
    [photo, _] = initiatives(script, WEEK, hidden).contests
    assert photo.winners == (HIDDEN_NAME, second)
    assert HIDDEN_NAME == "a member who asked not to be named"


async def test_a_poll_closed_the_week_before_is_not_the_weeks_and_entries_count_by_week(
    script: Script,
) -> None:
    assert [p.question for p in initiatives(script, WEEK).polls] == ["Best AMA day?"]
    earlier = initiatives(script, EARLIER)
    base = script.active(at("2026-02-16T09:00"), at("2026-02-24T09:00"))  # you, bob, mia, eve
    assert earlier == Initiatives(
        polls=(ClosedPoll(1, "Old poll?", 1, 100 / base, (("Yes", 1), ("No", 0)), ("Yes",)),)
    )
    following = initiatives(script, WEEK.shifted(1))  # closed at Monday 00:00: that week's
    assert [p.question for p in following.polls] == ["Boundary?"]
    count = script.recorded.app.store.call
    # the week: bob, cy, dee in Best photo and gus in Long contest (hal's was removed)
    assert count(entries_between, *WEEK.bounds(UTC_ZONE)) == 4
    assert count(entries_between, *EARLIER.bounds(UTC_ZONE)) == 1  # eve's
    assert count(entries_between, *WEEK.shifted(1).bounds(UTC_ZONE)) == 0
