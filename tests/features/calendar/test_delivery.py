"""Never missed silently, never doubled: failures, retries, restarts, crashes, two processes."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.core.config import CalendarConfig
from bot.core.envelope import Destination
from bot.core.messages import Message
from bot.features.calendar.store import claim_next, occurrence_role
from bot.store.models import BotMessage
from tests.conftest import START, make_settings, open_recorded
from tests.features.calendar.support import first_lines, manage, occurrences, timeline_of
from tests.recording import Posted, Recorded

DAY = timedelta(days=1)
ADD = "/calendar add when:{when} channel:{channel} type:article text:{text}"


async def _start(db_url: str, start: datetime = START, **calendar: str) -> Recorded:
    """A process on the database at `db_url`, started at `start`."""
    settings = make_settings(db_url, calendar=CalendarConfig(**calendar))
    return await open_recorded(settings, start=start)


async def _stop(recorded: Recorded) -> None:
    await recorded.app.stop()
    recorded.app.store.close()


def to_managers(posts: list[Posted]) -> list[Posted]:
    return [p for p in posts if not p.private and p.channel.name == "managers"]


async def test_a_channel_that_is_gone_is_retried_then_reported(recorded: Recorded) -> None:
    await manage(recorded, ADD.format(when="+1h", channel="announcements", text="Hi"))
    recorded.adapter.channels.pop(recorded.channel("announcements").channel_id)
    said = await recorded.advance("1h20m")
    assert [p.text for p in to_managers(said) if "❌" in p.text] == []
    said = await recorded.advance("1m")
    assert first_lines(said) == []
    [report] = [p for p in to_managers(said) if "❌" in p.text]
    assert report.plain == (
        "❌ Calendar post #1 was not published: the channel #announcements no longer exists\n"
        "#1 [article] Mon 2026-03-02 10:00 UTC in #announcements — gave up after 4 tries. "
        "Nothing was posted."
    )
    [row] = occurrences(recorded)
    assert (row.status, row.attempts, row.check_at) == ("failed", 4, None)
    said = await recorded.advance("1d")
    assert said == []


async def test_a_platform_error_is_retried_and_the_post_goes_out_once(
    recorded: Recorded,
) -> None:
    adapter = recorded.adapter
    real_send = adapter.send
    general = recorded.channel("general").channel_id
    failures = []

    async def flaky_send(to: Destination, message: Message):
        if to.channel_id == general and not failures:
            failures.append(to.channel_id)
            raise RuntimeError("403 Forbidden (error code: 50013): Missing Permissions")
        return await real_send(to, message)

    adapter.send = flaky_send  # type: ignore[method-assign]
    await manage(recorded, ADD.format(when="+1h", channel="general", text="Hello"))
    said = await recorded.advance("1h")
    assert first_lines(said) == [] and failures == [general]
    said = await recorded.advance("1h1m")
    assert timeline_of(said, "UTC") == ["Mon 2026-03-02 10:01 UTC Hello"]
    assert all("❌" not in p.text for p in said)
    [row] = occurrences(recorded)
    assert (row.status, row.attempts) == ("sent", 2)
    assert "Missing Permissions" in row.error


async def test_after_a_restart_late_posts_go_out_within_grace_and_the_rest_are_missed(
    db_url: str,
) -> None:
    first = await _start(db_url)
    await manage(
        first,
        "\n".join(
            [
                ADD.format(when="10:00", channel="general", text="A"),
                ADD.format(when="11:00", channel="general", text="B"),
                ADD.format(when="12:00", channel="general", text="C") + " repeat:daily",
                ADD.format(when="13:00", channel="general", text="D"),
            ]
        ),
    )
    assert first_lines(await first.advance("1h30m")) == ["A"]
    await _stop(first)  # down from 10:30 to 13:30

    second = await _start(db_url, START + timedelta(hours=4, minutes=30))
    said = await second.run_due()
    assert first_lines(said) == ["D"]
    [report] = [p for p in to_managers(said) if "fell due while Steward was not running" in p.text]
    assert report.section("Missed — more than 1h late, not sent").text == (
        "#2 [article] Mon 2026-03-02 11:00 UTC in #general\n"
        "#3 [article] Mon 2026-03-02 12:00 UTC in #general"
    )
    assert report.section("Sent late").text == (
        "#4 [article] Mon 2026-03-02 13:00 UTC in #general — sent 30m late"
    )
    said = await second.advance("1d")
    assert timeline_of(said, "UTC") == ["Tue 2026-03-03 12:00 UTC C"]
    assert all("fell due" not in p.text for p in said)
    rows = [(o.post_id, o.occurs_at.day, o.occurs_at.hour, o.status) for o in occurrences(second)]
    await _stop(second)
    assert sorted(rows) == [
        (1, 2, 10, "sent"),
        (2, 2, 11, "missed"),
        (3, 2, 12, "missed"),
        (3, 3, 12, "sent"),
        (4, 2, 13, "sent"),
    ]


async def test_a_longer_grace_sends_everything_late(db_url: str) -> None:
    first = await _start(db_url, misfire_grace="6h")
    await manage(first, ADD.format(when="+1h", channel="general", text="Late"))
    await _stop(first)
    second = await _start(db_url, START + timedelta(hours=5), misfire_grace="6h")
    said = await second.run_due()
    await _stop(second)
    assert first_lines(said) == ["Late"]
    [report] = to_managers(said)
    assert report.section("Sent late").text == (
        "#1 [article] Mon 2026-03-02 10:00 UTC in #general — sent 4h late"
    )


async def _crash_after_claiming(
    db_url: str, record_message: bool, recorded_for: datetime | None = None
) -> None:
    """A process that claimed the 10:00 post and died before (or right after) sending it
    (the message recorded as that of the occurrence at `recorded_for`, 10:00 by default)."""
    first = await _start(db_url)
    await manage(first, ADD.format(when="+1h", channel="general", text="Claimed"))
    due = START + timedelta(hours=1)
    config = first.app.settings.calendar
    claim = first.app.store.call(claim_next, 1, due, config.misfire_grace_delta, timedelta())
    assert claim is not None and claim.outcome == "claimed"
    if record_message:
        general = first.channel("general")
        first.app.store.call(
            lambda session: session.add(
                BotMessage(
                    platform=general.platform,
                    channel_id=general.channel_id,
                    platform_message_id="oldrun-7",
                    feature="calendar",
                    ref_id=1,
                    role=occurrence_role(recorded_for or due),
                    content_type="article",
                    created_at=due,
                )
            )
        )
    await _stop(first)


async def test_a_claim_left_by_a_crash_is_not_sent_again_and_managers_are_asked(
    db_url: str,
) -> None:
    await _crash_after_claiming(db_url, record_message=False)
    second = await _start(db_url, START + timedelta(hours=1, minutes=10))
    said = await second.run_due()
    said += await second.advance("1d")
    rows = occurrences(second)
    await _stop(second)
    assert first_lines(said) == []
    [question] = to_managers(said)
    assert question.plain == (
        "⚠️ Calendar post #1 may not have been sent (Steward stopped while sending it).\n"
        "#1 [article] Mon 2026-03-02 10:00 UTC in #general. Check #general; Steward will "
        "not send it again by itself, so re-post it if it is missing."
    )
    assert [(r.status, r.check_at) for r in rows] == [("unconfirmed", None)]


async def test_a_claim_whose_message_was_recorded_is_settled_as_sent(db_url: str) -> None:
    await _crash_after_claiming(db_url, record_message=True)
    second = await _start(db_url, START + timedelta(hours=1, minutes=10))
    said = await second.run_due()
    rows = occurrences(second)
    await _stop(second)
    assert said == []  # nothing re-sent, nobody asked
    assert [r.status for r in rows] == ["sent"]


async def test_only_the_message_of_that_occurrence_settles_a_claim(db_url: str) -> None:
    await _crash_after_claiming(db_url, record_message=True, recorded_for=START - DAY)
    second = await _start(db_url, START + timedelta(hours=1, minutes=10))
    said = await second.run_due()
    rows = occurrences(second)
    await _stop(second)
    assert [p.text for p in to_managers(said)] == [
        "⚠️ Calendar post #1 may not have been sent (Steward stopped while sending it)."
    ]
    assert [r.status for r in rows] == ["unconfirmed"]


async def test_two_processes_on_one_database_publish_each_occurrence_once(db_url: str) -> None:
    first, second = await _start(db_url), await _start(db_url)
    adds = [
        ADD.format(when=f"+{n}m", channel="general", text=f"P{n}") + " repeat:daily"
        for n in range(1, 11)
    ]
    await manage(first, "\n".join(adds))
    # Two processes share real time: their clocks move in step, a minute at a time around the
    # posts (a send takes milliseconds, never the 5 minutes after which a claim is doubted).
    steps = ["1m"] * 12 + ["23h40m"] + ["1m"] * 20
    texts: list[str] = []
    for step in steps:
        for said in await asyncio.gather(first.advance(step), second.advance(step)):
            texts += first_lines(said)
    rows = occurrences(first)
    await _stop(first)
    await _stop(second)
    assert sorted(texts) == sorted(f"P{n}" for n in range(1, 11) for _ in range(2))
    assert len(rows) == 20 and {r.status for r in rows} == {"sent"}


async def test_a_retry_that_fell_due_while_down_is_reported_missed(db_url: str) -> None:
    first = await _start(db_url)
    await manage(first, ADD.format(when="+1h", channel="help", text="Gone"))
    first.adapter.channels.pop(first.channel("help").channel_id)
    said = await first.advance("1h")
    assert first_lines(said, ("help",)) == [] and all("❌" not in p.text for p in said)
    await _stop(first)
    second = await _start(db_url, START + timedelta(hours=3))
    said = await second.run_due()
    said += await second.advance("1h")
    rows = occurrences(second)
    await _stop(second)
    [report] = to_managers(said)
    missed = report.section("Missed — more than 1h late, not sent").text
    assert missed.startswith("#1 [article]")
    assert first_lines(said, ("help",)) == []
    assert [(r.status, r.attempts) for r in rows] == [("missed", 1)]
