"""The weekly digest goes out on schedule through the outbox: once, across restarts and
processes, posted on start when the bot was down, where `[digest] channels` say."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.config import DigestConfig, Settings
from tests.conftest import START, open_recorded
from tests.recording import Recorded, Said

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

PNG = b"\x89PNG\r\n\x1a\n"


def digests(said: Said) -> list:
    return said.public("digest")


async def a_busy_week(recorded: Recorded) -> None:
    """Some members talk in the week of START (2026-W10)."""
    for name in ("ana", "ben", "cy"):
        await recorded.join(name)
        await recorded.post(f"hello from {name}", by=name)
    await recorded.advance("1d")
    first = await recorded.post("How do I reset my token?", by="ana", in_="help")
    await recorded.reply(first, "Settings → Tokens", by="ben")


async def test_the_digest_of_the_week_is_posted_once_at_monday_nine(recorded: Recorded) -> None:
    await a_busy_week(recorded)
    until_monday = START + timedelta(days=7) - recorded.clock.now()
    said = await recorded.advance(until_monday - timedelta(minutes=1))
    assert digests(said) == []
    [posted] = digests(await recorded.advance("1m"))
    assert posted.channel.name == "managers"
    assert posted.text.startswith("Weekly digest · our community · 2026-W10")
    assert posted.message.image is not None and posted.message.image.data.startswith(PNG)
    fields = posted.fields
    assert (fields["Active"], fields["Messages"], fields["Replies"]) == ("3 · –", "4 · –", "1 · –")
    assert fields["Answered"] == "1 (100%)"
    [following] = digests(await recorded.advance("7d"))  # the next week's, once
    assert following.text.startswith("Weekly digest · our community · 2026-W11")
    assert following.fields["Active"] == "0 · −3 (−100%)"
    assert digests(await recorded.advance("1h")) == []


async def test_a_restart_after_the_post_does_not_post_it_again(settings: Settings) -> None:
    first = await open_recorded(settings)
    await a_busy_week(first)
    said = await first.advance(START + timedelta(days=7) - first.clock.now())
    assert len(digests(said)) == 1
    await first.app.stop()
    first.app.store.close()
    again = await open_recorded(settings, start=START + timedelta(days=7, minutes=5))
    try:
        assert digests(await again.run_due()) == []
        assert digests(await again.advance("6d")) == []
    finally:
        await again.app.stop()
        again.app.store.close()


async def test_a_digest_missed_while_down_is_posted_at_start(settings: Settings) -> None:
    first = await open_recorded(settings)
    await a_busy_week(first)
    await first.advance(START + timedelta(days=7) - first.clock.now())  # W10 posted
    await first.app.stop()
    first.app.store.close()
    later = START + timedelta(days=14, hours=5)  # down over Monday 09:00 of W12
    again = await open_recorded(settings, start=later)
    try:
        [posted] = digests(await again.run_due())
        assert posted.text.startswith("Weekly digest · our community · 2026-W11")
        assert digests(await again.advance("1h")) == []
    finally:
        await again.app.stop()
        again.app.store.close()


async def test_two_processes_post_the_week_once(settings: Settings) -> None:
    one = await open_recorded(settings)
    two = await open_recorded(settings)
    try:
        await a_busy_week(one)
        await two.advance(one.clock.now() - two.clock.now())
        moment = START + timedelta(days=7) - one.clock.now()
        said = [*await one.advance(moment), *await two.advance(moment)]
        assert len(digests(Said(said))) == 1
    finally:
        for r in (one, two):
            await r.app.stop()
            r.app.store.close()


async def test_digest_channels_are_where_it_goes(settings: Settings) -> None:
    chosen = settings.replace(digest=DigestConfig(channels=("announcements",)))
    r = await open_recorded(chosen)
    try:
        await a_busy_week(r)
        said = await r.advance(START + timedelta(days=7) - r.clock.now())
        assert [p.channel.name for p in digests(said)] == ["announcements"]
    finally:
        await r.app.stop()
        r.app.store.close()


async def test_a_manager_previews_any_week_privately(recorded: Recorded) -> None:
    await a_busy_week(recorded)
    recorded.manager("mia")
    said = await recorded.command("/digest preview week:this", by="mia", in_="managers")
    [shown] = [p for p in said if p.private]
    assert shown.text.startswith("Weekly digest · our community · 2026-W10")
    assert digests(said) == []
    bad = await recorded.command("/digest preview week:soon", by="mia", in_="managers")
    assert any(
        "'soon' is not a week: write an ISO week like 2026-W12" in t for t in bad.told("mia")
    )
    refused = await recorded.command("/digest preview", by="ana", in_="general")
    assert digests(refused) == [] and refused.told("ana")


async def test_a_manager_posts_last_weeks_digest_in_a_channel(recorded: Recorded) -> None:
    await a_busy_week(recorded)
    await recorded.advance(START + timedelta(days=7, hours=-1) - recorded.clock.now())
    recorded.manager("mia")
    said = await recorded.command("/digest post channel:#announcements", by="mia", in_="managers")
    [posted] = digests(said)
    assert posted.channel.name == "announcements"
    assert posted.text.startswith("Weekly digest · our community · 2026-W10")
    assert said.told("mia") == ["The digest of 2026-W10 is posted (#announcements)."]
    [weekly] = digests(await recorded.advance("1h"))  # the weekly post still goes out
    assert weekly.channel.name == "managers"
    assert weekly.text.startswith("Weekly digest · our community · 2026-W10")


async def test_a_failed_weekly_post_is_tried_again_five_minutes_later(settings: Settings) -> None:
    chosen = settings.replace(digest=DigestConfig(channels=("announcements",)))
    r = await open_recorded(chosen)
    try:
        await a_busy_week(r)
        find = r.adapter.find_channel
        failing = [1]

        async def flaky(name: str):
            if failing and failing.pop():
                raise TimeoutError("the platform did not answer")
            return await find(name)

        r.adapter.find_channel = flaky  # type: ignore[method-assign]
        said = await r.advance(START + timedelta(days=7) - r.clock.now())
        assert digests(said) == []
        assert digests(await r.advance("4m")) == []
        [posted] = digests(await r.advance("1m"))
        assert posted.channel.name == "announcements"
        assert digests(await r.advance("1d")) == []
    finally:
        await r.app.stop()
        r.app.store.close()
