"""Several processes on one database, answers fetched after downtime, deletions and erasure:
the alerts stay once and right."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.core.config import ConfigError, load_settings
from bot.core.events import MemberRef, ReplyPosted
from tests.conftest import make_settings, open_recorded
from tests.features.inquiries.support import alerts, inquiries
from tests.recording import Recorded

QUESTION = "How do I reset my password?"


def reply_to(recorded: Recorded, asked: str, minutes: int) -> ReplyPosted:
    """cy's reply to the question `asked`, `minutes` after now (cy's id is fixed: each
    process names its members' ids in the order it meets them)."""
    return ReplyPosted(
        event_id=f"reply-{asked}",
        member=MemberRef(recorded.adapter.platform, "U-cy", "cy"),
        channel=recorded.channel("help"),
        at=recorded.clock.now() + timedelta(minutes=minutes),
        message_id=f"R-{asked}",
        parent_id=asked,
        text="Settings, then Account.",
    )


async def test_two_processes_checking_at_once_post_one_alert(any_db_url: str) -> None:
    settings = make_settings(any_db_url)
    first = await open_recorded(settings)
    second = await open_recorded(settings)
    try:
        await first.post(QUESTION, by="bob", in_="help")
        for process in (first, second):
            process.clock.set(process.clock.now() + timedelta(hours=1))
        await asyncio.gather(first.app.jobs.run_due(), second.app.jobs.run_due())
        posted = alerts(first.posts) + alerts(second.posts)
        assert [p.text for p in posted] == ["⏰ Unanswered past its SLA (60 min): inquiry #1"]
        [inquiry] = inquiries(first.app)
        assert inquiry.alerts_sent == 1
    finally:
        for process in (first, second):
            await process.app.stop()
            process.app.store.close()


async def test_an_answer_seen_by_another_process_stops_the_alert(db_url: str) -> None:
    settings = make_settings(db_url)
    asking, answering = await open_recorded(settings), await open_recorded(settings)
    try:
        asked = await asking.post(QUESTION, by="bob", in_="help")
        await answering.feed(reply_to(answering, asked, minutes=5))
        asking.clock.set(asking.clock.now() + timedelta(hours=3))
        assert alerts(await asking.advance("1m")) == []
        assert inquiries(asking.app)[0].status == "answered"
    finally:
        for process in (asking, answering):
            await process.app.stop()
            process.app.store.close()


async def test_an_answer_fetched_after_downtime_counts(recorded: Recorded) -> None:
    asked = await recorded.post(QUESTION, by="bob", in_="help")
    reply = reply_to(recorded, asked, minutes=20)
    recorded.clock.set(recorded.clock.now() + timedelta(minutes=90))
    assert await recorded.app.record_history([reply]) == 1
    assert alerts(await recorded.advance("1m")) == []
    [inquiry] = inquiries(recorded.app)
    assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=20)


async def test_a_deleted_question_no_longer_waits_and_a_repost_is_new(
    recorded: Recorded,
) -> None:
    from bot.core.events import MessageDeleted

    asked = await recorded.post("How do I reset my pasword?", by="bob", in_="help")
    await recorded.feed(
        MessageDeleted(
            event_id=f"delete:{asked}",
            member=recorded.member("bob"),
            channel=recorded.channel("help"),
            at=recorded.clock.now(),
            message_id=asked,
        )
    )
    await recorded.advance("30s")
    await recorded.post(QUESTION, by="bob", in_="help")
    gone, again = inquiries(recorded.app)
    assert (gone.status, again.status) == ("dismissed", "waiting")
    assert [p.text for p in alerts(await recorded.advance("1h"))] == [
        "⏰ Unanswered past its SLA (60 min): inquiry #2"
    ]


async def test_a_forgotten_askers_alert_no_longer_names_them(recorded: Recorded) -> None:
    await recorded.post(QUESTION, by="bob", in_="help")
    [alert] = alerts(await recorded.advance("1h"))
    assert alert.fields["Asked by"] == "@bob"
    await recorded.command("/privacy forget confirm:true", by="bob")
    await recorded.advance("1m")
    assert alert.text == (
        "🚫 No longer tracked: its author asked Steward to forget them. "
        "Inquiry #1 had waited past its SLA (60 min)."
    )
    assert alert.fields["Asked by"] == "a member who was forgotten"
    assert "bob" not in alert.plain and QUESTION not in alert.plain
    assert alerts(await recorded.advance("1h")) == []  # no reminder for it


def test_the_same_reaction_cannot_answer_and_dismiss(tmp_path) -> None:
    config = tmp_path / "steward.toml"
    config.write_text(
        '[inquiries]\nanswer_reaction = "✅"\ndismiss_reaction = ":white_check_mark:"\n'
    )
    with pytest.raises(ConfigError) as refused:
        load_settings(config, env={})
    assert str(refused.value) == (
        f"{config}: inquiries: answer_reaction and dismiss_reaction must differ (both are '✅')"
    )
