"""SLA alerts in the managers' channel, in virtual time on the console: once at the SLA, once
at twice the SLA, never for an answered question, never twice across a restart."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.conftest import Community
from tests.features.inquiries.support import console_with, inquiries

ASK = ":as bob\n:in help\nHow do I reset my password?"
FIRST = "⏰ Unanswered past its SLA (60 min): inquiry #1"
SECOND = "⏰ Still unanswered at twice its SLA (60 min): inquiry #1"


def alert_heads(out: str) -> list[str]:
    """The alerts posted (not edited) in the managers' channel, by their first line."""
    return re.findall(r"^#\d+ \[managers\] Steward \[inquiry\]: (⏰.*)$", out, re.MULTILINE)


async def test_the_alert_fires_once_at_the_sla_and_once_at_twice_the_sla(
    community: Community,
) -> None:
    await community.run(ASK)
    assert alert_heads(await community.run(":advance 59m")) == []
    out = await community.run(":advance 1m")
    assert alert_heads(out) == [FIRST]
    assert "Asked by: @bob\n    Where: #help\n    Waiting: 1h\n    [1: Take it]" in out
    assert alert_heads(await community.run(":advance 59m")) == []
    assert alert_heads(await community.run(":advance 1m")) == [SECOND]
    assert alert_heads(await community.run(":advance 3d")) == []


async def test_no_alert_for_an_answered_question(community: Community) -> None:
    await community.run(ASK)
    await community.run(":advance 30m\n:as cy\n:reply 1 Settings, then Account.")
    assert alert_heads(await community.run(":advance 1d")) == []


async def test_no_alert_for_a_dismissed_question(community: Community) -> None:
    await community.run(ASK)
    out = await community.run(":as mia manager\n:in managers\n/inquiries dismiss id:1")
    assert "Inquiry #1 is marked “not a question”." in out
    assert alert_heads(await community.run(":advance 1d")) == []


async def test_a_restart_between_the_alerts_posts_neither_twice(db_url: str) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    async with console_with(db_url, start) as first:
        await first.run(ASK)
        assert alert_heads(await first.run(":advance 1h")) == [FIRST]
        later = first.clock.now()
    async with console_with(db_url, later) as second:  # the same database, a new process
        assert alert_heads(await second.run(":advance 30m")) == []
        assert alert_heads(await second.run(":advance 30m")) == [SECOND]
    async with console_with(db_url, later) as third:
        assert alert_heads(await third.run(":advance 2d")) == []
    [inquiry] = inquiries(third.app)
    assert inquiry.alerts_sent == 2


async def test_after_downtime_past_both_deadlines_one_alert_says_twice(db_url: str) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    async with console_with(db_url, start) as first:
        await first.run(ASK)
    async with console_with(db_url, datetime(2026, 3, 2, 12, 0, tzinfo=UTC)) as second:
        out = await second.run(":advance 1m")
        assert alert_heads(out) == [SECOND]
        assert "Waiting: 3h\n" in out


async def test_take_it_assigns_the_clicking_manager_and_shows_it_on_the_alert(
    community: Community,
) -> None:
    await community.run(ASK)
    await community.run(":advance 1h")
    out = await community.run(":as cy\n:in managers\n:click 2 Take it")
    assert "Only a community manager can take an inquiry." in out
    out = await community.run(":as mia manager\n:click 2 Take it")
    assert "#2 (edited) [managers]" in out
    assert "Taken by: @mia\n    [1: Take it instead]" in out
    assert "You took inquiry #1." in out
    out = await community.run("/inquiries open")
    assert "#1 · 1h ⏰ · #help · @bob · taken by @mia · “How do I reset my password?”" in out


async def test_an_answer_after_the_alert_shows_on_it(community: Community) -> None:
    await community.run(ASK)
    await community.run(":advance 1h10m")
    out = await community.run(":as cy\n:in help\n:reply 1 Settings, then Account.")
    out += await community.run(":advance 1m")
    assert (
        "#2 (edited) [managers] Steward [inquiry]: ✅ Answered by @cy after 1h 10m. "
        "Inquiry #1 had waited past its SLA (60 min)." in out
    )
    assert "[1: Take it]" not in out.split("#2 (edited)")[1]
