"""Never missed silently, never doubled: failures, retries, restarts, crashes, two processes."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.core.config import CalendarConfig
from bot.core.messages import Message
from bot.features.calendar.store import claim_next
from bot.store.models import BotMessage
from tests.conftest import START, Community, make_settings, open_community
from tests.features.calendar.support import MANAGER, occurrences, published, timeline

ADD = "/calendar add when:{when} channel:{channel} type:article text:{text}"


async def _open(db_url: str, start: datetime = START) -> Community:
    return await open_community(make_settings(db_url), start=start)


async def _close(community: Community) -> None:
    await community.app.stop()
    community.app.store.close()


async def test_a_channel_that_is_gone_is_retried_then_reported(community: Community) -> None:
    await community.run(MANAGER + "\n" + ADD.format(when="+1h", channel="announcements", text="Hi"))
    community.adapter.channels.pop("announcements")
    out = await community.run(":advance 59m\n:advance 1m\n:advance 1m\n:advance 5m\n:advance 14m")
    assert "❌" not in out
    out += await community.run(":advance 1m")
    assert published(out) == []
    assert out.count("❌") == 1
    assert (
        "[managers] Steward: ❌ Calendar post #1 was not published: the channel #announcements "
        "no longer exists\n    #1 [article] Mon 2026-03-02 10:00 UTC in #announcements — gave up "
        "after 4 tries. Nothing was posted." in out
    )
    [row] = occurrences(community)
    assert (row.status, row.attempts, row.check_at) == ("failed", 4, None)
    out = await community.run(":advance 1d")
    assert "❌" not in out and published(out) == []


async def test_a_platform_error_is_retried_and_the_post_goes_out_once(
    community: Community,
) -> None:
    adapter = community.adapter
    real_send = adapter.send
    failures = []

    async def flaky_send(channel_id: str, message: Message):
        if channel_id == "general" and not failures:
            failures.append(channel_id)
            raise RuntimeError("403 Forbidden (error code: 50013): Missing Permissions")
        return await real_send(channel_id, message)

    adapter.send = flaky_send  # type: ignore[method-assign]
    await community.run(MANAGER + "\n" + ADD.format(when="+1h", channel="general", text="Hello"))
    out = await community.run(":advance 1h")
    assert published(out) == [] and failures == ["general"]
    out = await community.run(":advance 1m\n:advance 1h")
    assert timeline(out) == ["Mon 2026-03-02 10:01 UTC Hello"]
    assert "❌" not in out
    [row] = occurrences(community)
    assert (row.status, row.attempts) == ("sent", 2)
    assert "Missing Permissions" in row.error


async def test_after_a_restart_late_posts_go_out_within_grace_and_the_rest_are_missed(
    db_url: str,
) -> None:
    first = await _open(db_url)
    await first.run(
        "\n".join(
            [
                MANAGER,
                ADD.format(when="10:00", channel="general", text="A"),
                ADD.format(when="11:00", channel="general", text="B"),
                ADD.format(when="12:00", channel="general", text="C") + " repeat:daily",
                ADD.format(when="13:00", channel="general", text="D"),
            ]
        )
    )
    out = await first.run(":advance 1h30m")
    assert published(out) == ["A"]
    await _close(first)  # down from 10:30 to 13:30

    second = await _open(db_url, START + timedelta(hours=4, minutes=30))
    out = await second.run(":now")
    assert published(out) == ["D"]
    assert out.count("fell due while Steward was not running") == 1
    assert (
        "== Missed — more than 1h late, not sent ==\n"
        "    #2 [article] Mon 2026-03-02 11:00 UTC in #general\n"
        "    #3 [article] Mon 2026-03-02 12:00 UTC in #general\n"
        "    == Sent late ==\n"
        "    #4 [article] Mon 2026-03-02 13:00 UTC in #general — sent 30m late" in out
    )
    out = await second.run(":advance 1d")
    assert timeline(out) == ["Tue 2026-03-03 13:30 UTC C"]
    assert "fell due" not in out
    rows = [(o.post_id, o.occurs_at.day, o.occurs_at.hour, o.status) for o in occurrences(second)]
    await _close(second)
    assert sorted(rows) == [
        (1, 2, 10, "sent"),
        (2, 2, 11, "missed"),
        (3, 2, 12, "missed"),
        (3, 3, 12, "sent"),
        (4, 2, 13, "sent"),
    ]


async def test_a_longer_grace_sends_everything_late(db_url: str) -> None:
    first = await open_community(
        make_settings(db_url, calendar=CalendarConfig(misfire_grace="6h")), start=START
    )
    await first.run(MANAGER + "\n" + ADD.format(when="+1h", channel="general", text="Late"))
    await _close(first)
    second = await open_community(
        make_settings(db_url, calendar=CalendarConfig(misfire_grace="6h")),
        start=START + timedelta(hours=5),
    )
    out = await second.run(":now")
    await _close(second)
    assert published(out) == ["Late"]
    assert "#1 [article] Mon 2026-03-02 10:00 UTC in #general — sent 4h late" in out


async def _crash_after_claiming(db_url: str, record_message: bool) -> None:
    """A process that claimed the 10:00 post and died before (or right after) sending it."""
    first = await _open(db_url)
    await first.run(MANAGER + "\n" + ADD.format(when="+1h", channel="general", text="Claimed"))
    due = START + timedelta(hours=1)
    config = first.app.settings.calendar
    claim = first.app.store.call(claim_next, 1, due, config.misfire_grace_delta, timedelta())
    assert claim is not None and claim.outcome == "claimed"
    if record_message:
        first.app.store.call(
            lambda session: session.add(
                BotMessage(
                    platform="console",
                    channel_id="general",
                    platform_message_id="oldrun-7",
                    feature="calendar",
                    ref_id=1,
                    content_type="article",
                    created_at=due,
                )
            )
        )
    await _close(first)


async def test_a_claim_left_by_a_crash_is_not_sent_again_and_managers_are_asked(
    db_url: str,
) -> None:
    await _crash_after_claiming(db_url, record_message=False)
    second = await _open(db_url, START + timedelta(hours=1, minutes=10))
    out = await second.run(":now\n:advance 1d")
    rows = occurrences(second)
    await _close(second)
    assert published(out) == []
    assert out.count("may not have been sent") == 1
    assert (
        "⚠️ Calendar post #1 may not have been sent (Steward stopped while sending it).\n"
        "    #1 [article] Mon 2026-03-02 10:00 UTC in #general. Check #general; Steward will "
        "not send it again by itself, so re-post it if it is missing." in out
    )
    assert [(r.status, r.check_at) for r in rows] == [("unconfirmed", None)]


async def test_a_claim_whose_message_was_recorded_is_settled_as_sent(db_url: str) -> None:
    await _crash_after_claiming(db_url, record_message=True)
    second = await _open(db_url, START + timedelta(hours=1, minutes=10))
    out = await second.run(":now")
    rows = occurrences(second)
    await _close(second)
    assert published(out) == [] and "may not have been sent" not in out
    assert [(r.status, r.message_id) for r in rows] == [("sent", "oldrun-7")]


async def test_two_processes_on_one_database_publish_each_occurrence_once(db_url: str) -> None:
    first, second = await _open(db_url), await _open(db_url)
    adds = [
        ADD.format(when=f"+{n}m", channel="general", text=f"P{n}") + " repeat:daily"
        for n in range(1, 11)
    ]
    await first.run("\n".join([MANAGER, *adds]))
    # Two processes share real time: their clocks move in step, a minute at a time around the
    # posts (a send takes milliseconds, never the 5 minutes after which a claim is doubted).
    steps = [":advance 1m"] * 12 + [":advance 23h40m"] + [":advance 1m"] * 20
    outs = ["", ""]
    for step in steps:
        new = await asyncio.gather(first.run(step), second.run(step))
        outs = [outs[0] + new[0], outs[1] + new[1]]
    rows = occurrences(first)
    await _close(first)
    await _close(second)
    texts = published(outs[0]) + published(outs[1])
    assert sorted(texts) == sorted(f"P{n}" for n in range(1, 11) for _ in range(2))
    assert len(rows) == 20 and {r.status for r in rows} == {"sent"}


async def test_a_retry_that_fell_due_while_down_is_reported_missed(db_url: str) -> None:
    first = await _open(db_url)
    await first.run(MANAGER + "\n" + ADD.format(when="+1h", channel="help", text="Gone"))
    first.adapter.channels.pop("help")
    out = await first.run(":advance 1h")
    assert published(out, ("help",)) == [] and "❌" not in out
    await _close(first)
    second = await _open(db_url, START + timedelta(hours=3))
    out = await second.run(":now\n:advance 1h")
    rows = occurrences(second)
    await _close(second)
    assert "== Missed — more than 1h late, not sent ==\n    #1 [article]" in out
    assert published(out, ("help",)) == []
    assert [(r.status, r.attempts) for r in rows] == [("missed", 1)]
