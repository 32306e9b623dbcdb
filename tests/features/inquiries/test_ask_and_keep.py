"""`/ask` anywhere; the cost of tracking for ordinary messages; the text kept only so long;
an alert whose process died while posting it is never posted twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, update

from bot.core.config import PrivacyConfig
from bot.store.models import OutboxItem
from tests.conftest import make_settings, open_recorded
from tests.features.inquiries.support import alerts, inquiries
from tests.recording import Recorded


async def test_ask_posts_the_question_and_replies_to_it_answer(recorded: Recorded) -> None:
    said = await recorded.command('/ask question:"Is there a student discount?"', by="bob")
    [post] = said.public(tag="inquiry", channel="general")
    assert post.text == "❓ bob asks: Is there a student discount?"
    [told] = said.told("bob")
    assert told.startswith("Your question is posted and tracked as inquiry #1.")
    await recorded.advance("25m")
    await recorded.reply(post, "Yes, 50% with a student email.", by="cy")
    [inquiry] = inquiries(recorded.app)
    assert inquiry.source == "ask"
    assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=25)


async def test_ask_without_words_is_refused_and_stores_nothing(recorded: Recorded) -> None:
    said = await recorded.command('/ask question:"  "', by="bob")
    [refusal] = said.told("bob")
    assert "question" in refusal
    assert said.public() == []
    assert inquiries(recorded.app) == []


async def test_ordinary_messages_outside_help_channels_cost_no_inquiry_query(
    recorded: Recorded,
) -> None:
    asked = await recorded.post("How do I add a bot?", by="bob", in_="help")  # one is tracked
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(recorded.app.store.engine, "before_cursor_execute", seen)
    try:
        for n in range(20):
            await recorded.post(f"good morning {n}", by="cy", in_="general")
            await recorded.post("What a talk!", by="dee", in_="general")
        await recorded.post("thanks all", by="eve", in_="help")  # a help channel, no question
    finally:
        event.remove(recorded.app.store.engine, "before_cursor_execute", seen)
    assert statements  # the interaction log still records every message
    assert [s for s in statements if "inquiry" in s.lower()] == []
    await recorded.reply(asked, "Like this", by="cy")
    assert inquiries(recorded.app)[0].status == "answered"


async def test_the_text_is_dropped_after_the_retention_and_the_figures_stay(db_url: str) -> None:
    settings = make_settings(db_url, privacy=PrivacyConfig(retention_days=3))
    recorded = await open_recorded(settings)
    try:
        asked = await recorded.post("How do I add a bot?", by="bob", in_="help")
        await recorded.advance("10m")
        await recorded.reply(asked, "Like this", by="cy")
        await recorded.advance(timedelta(days=3) - timedelta(minutes=1))
        assert inquiries(recorded.app)[0].text == "How do I add a bot?"
        await recorded.advance("1m")
        [inquiry] = inquiries(recorded.app)
        assert inquiry.text is None
        assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=10)
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


async def test_an_alert_whose_process_died_while_posting_is_not_posted_again(
    recorded: Recorded,
) -> None:
    await recorded.post("How do I add a bot?", by="bob", in_="help")
    real_send_now = recorded.app.outbox.send_now

    async def died(*ids):  # the process stopped right after handing the alert over
        recorded.app.store.call(_sending, ids)
        return []

    recorded.app.outbox.send_now = died  # type: ignore[method-assign]
    assert alerts(await recorded.advance("1h")) == []
    recorded.app.outbox.send_now = real_send_now  # type: ignore[method-assign]
    said = await recorded.advance("10m")  # the claim goes stale
    assert alerts(said) == []
    [told] = said.posted_in("managers")
    assert told.startswith(
        "⚠️ Steward stopped while posting the SLA alert for inquiry #1 in the managers' channel"
    )
    [reminder] = alerts(await recorded.advance("2h"))  # the reminder is an alert of its own
    assert reminder.text.startswith("⏰ Still unanswered at twice its SLA")


def _sending(session, ids) -> None:
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.id.in_([i for i in ids if i is not None]))
        .values(status="sending", claim="dead")
    )
