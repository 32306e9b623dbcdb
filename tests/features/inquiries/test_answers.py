"""Who answered a member question first, and how fast: replies, threads, mentions,
a manager's reaction; never the asker's own follow-ups."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.core.events import MessagePosted, ThreadCreated
from tests.features.inquiries.support import inquiries, recorded_with
from tests.recording import Recorded

QUESTION = "How do I reset my password?"


async def test_a_reply_by_another_member_answers_with_the_exact_response_time(
    recorded: Recorded,
) -> None:
    asked = await recorded.post(QUESTION, by="bob", in_="help")
    await recorded.advance("12m")
    await recorded.reply(asked, "Settings, then Account.", by="cy")
    await recorded.advance("5m")
    await recorded.reply(asked, "Or ask an admin.", by="dee")
    [inquiry] = inquiries(recorded.app)
    assert inquiry.status == "answered"
    assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=12)
    assert inquiry.first_response_by_manager is False
    assert inquiry.first_manager_response_at is None


async def test_the_askers_own_follow_ups_never_count(recorded: Recorded) -> None:
    asked = await recorded.post(QUESTION, by="bob", in_="help")
    await recorded.advance("1m")
    await recorded.post("anyone?", by="bob", in_="help", mentions=("bob",))  # joins it
    await recorded.advance("3m")
    await recorded.reply(asked, "I tried the link in the email already.", by="bob")
    await recorded.thread(asked, "Still stuck.", by="bob")
    [inquiry] = inquiries(recorded.app)
    assert inquiry.status == "waiting"
    assert inquiry.first_response_at is None


async def test_a_thread_message_under_the_question_answers_it(recorded: Recorded) -> None:
    asked = await recorded.post(QUESTION, by="bob", in_="help")
    await recorded.advance("7m")
    await recorded.thread(asked, "Use the reset link on the login page.", by="cy")
    [inquiry] = inquiries(recorded.app)
    assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=7)


async def test_a_message_in_the_channel_mentioning_the_asker_answers_it(
    recorded: Recorded,
) -> None:
    await recorded.post(QUESTION, by="bob", in_="help")
    await recorded.advance("4m")
    await recorded.post("hello all", by="cy", in_="help")
    await recorded.post("see the pinned guide", by="cy", in_="general", mentions=("bob",))
    assert inquiries(recorded.app)[0].status == "waiting"  # another channel: not an answer
    await recorded.post("it is in Settings", by="cy", in_="help", mentions=("bob",))
    [inquiry] = inquiries(recorded.app)
    assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=4)


async def test_a_manager_answer_after_a_member_is_recorded_separately(
    recorded: Recorded,
) -> None:
    recorded.manager("mia")
    asked = await recorded.post(QUESTION, by="bob", in_="help")
    await recorded.advance("10m")
    await recorded.reply(asked, "Settings!", by="cy")
    await recorded.advance("30m")
    await recorded.reply(asked, "Confirming: Settings → Account.", by="mia")
    [inquiry] = inquiries(recorded.app)
    assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=10)
    assert inquiry.first_response_by_manager is False
    assert inquiry.first_manager_response_at - inquiry.asked_at == timedelta(minutes=40)


async def test_follow_up_lines_within_two_minutes_join_and_a_reply_to_one_answers(
    recorded: Recorded,
) -> None:
    await recorded.post(QUESTION, by="bob", in_="help")
    await recorded.advance("1m")
    second = await recorded.post("I'm on the mobile app.", by="bob", in_="help")
    await recorded.advance("3m")
    await recorded.post("What about the desktop app?", by="bob", in_="help")  # a new one
    first, later = inquiries(recorded.app)
    assert first.lines() == [first.message_id, second]
    assert first.text == f"{QUESTION}\nI'm on the mobile app."
    await recorded.reply(second, "On mobile it is under Profile.", by="cy")
    first, later = inquiries(recorded.app)
    assert first.status == "answered" and later.status == "waiting"


async def test_messages_that_are_not_questions_managers_and_other_channels_open_nothing(
    recorded: Recorded,
) -> None:
    recorded.manager("mia")
    await recorded.post("thanks!", by="bob", in_="help")
    await recorded.post("How do I add a poll?", by="mia", in_="help")
    await recorded.post("How do I join the meetup?", by="bob", in_="general")
    assert inquiries(recorded.app) == []


async def test_a_forum_post_in_a_help_channel_opens_an_inquiry_answered_in_its_thread(
    recorded: Recorded,
) -> None:
    help_channel = recorded.channel("help")
    post = replace(
        help_channel,
        channel_id="T1",
        name="Login broken?",
        parent_id=help_channel.channel_id,
        thread_id="T1",
    )
    bob = recorded.member("bob")
    await recorded.feed(
        ThreadCreated(
            event_id="thread:T1",
            member=bob,
            channel=post,
            at=recorded.clock.now(),
            name="Login broken?",
        )
    )
    await recorded.feed(
        MessagePosted(
            event_id="T1",
            member=bob,
            channel=post,
            at=recorded.clock.now(),
            message_id="T1",
            text="It says my token expired.",
        )
    )
    await recorded.advance("9m")
    await recorded.feed(
        MessagePosted(
            event_id="M-cy",
            member=recorded.member("cy"),
            channel=post,
            at=recorded.clock.now(),
            message_id="M-cy",
            text="Log out and in again.",
        )
    )
    [inquiry] = inquiries(recorded.app)
    assert inquiry.text == "Login broken?\nIt says my token expired."
    assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=9)


async def test_a_managers_reaction_counts_only_when_configured(db_url: str) -> None:
    async with recorded_with(db_url) as plain:
        plain.manager("mia")
        asked = await plain.post(QUESTION, by="bob", in_="help")
        await plain.advance("6m")
        await plain.react(asked, "✅", by="mia")
        assert inquiries(plain.app)[0].status == "waiting"


async def test_a_managers_configured_reaction_answers_and_resolves(
    tmp_path, sqlite_template
) -> None:
    import shutil

    path = tmp_path / "other.db"
    shutil.copy(sqlite_template, path)
    async with recorded_with(f"sqlite:///{path}", answer_reaction=":white_check_mark:") as r:
        r.manager("mia")
        asked = await r.post(QUESTION, by="bob", in_="help")
        await r.advance("6m")
        await r.react(asked, "✅", by="cy")  # not a manager: nothing
        assert inquiries(r.app)[0].status == "waiting"
        await r.react(asked, "✅", by="mia")
        [inquiry] = inquiries(r.app)
        assert inquiry.status == "resolved"
        assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=6)
        assert inquiry.first_response_by_manager is True


async def test_a_thread_started_under_a_question_answers_it_and_asks_nothing(
    recorded: Recorded,
) -> None:
    asked = await recorded.post(QUESTION, by="bob", in_="help")
    await recorded.advance("2m")
    await recorded.thread(asked, "Did you try the reset link?", by="cy")
    [inquiry] = inquiries(recorded.app)
    assert inquiry.first_response_at - inquiry.asked_at == timedelta(minutes=2)
