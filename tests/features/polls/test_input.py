"""Bad poll input: each refusal is a clear private error, and nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.core.errors import UsageError
from bot.features.polls import publish_poll
from bot.features.polls.store import Poll, PollOption
from bot.store.models import BotMessage
from tests.conftest import make_settings, open_recorded
from tests.recording import Recorded

TWENTY_SIX = " | ".join(f"o{n}" for n in range(26))  # a message holds 25 buttons


def stored(recorded: Recorded) -> int:
    return recorded.app.store.call(
        lambda s: len(s.exec(select(Poll)).all()) + len(s.exec(select(PollOption)).all())
    )


Q = 'question:"Best day?" '
BAD = {
    "one option": (
        Q + 'options:"Mon"',
        "A poll needs 2 to 25 options separated by `|` (one button each, as many as a message "
        "holds here); you gave 1.",
    ),
    "twenty-six options": (Q + f'options:"{TWENTY_SIX}"', "you gave 26."),
    "empty option": (Q + 'options:"Mon | | Fri"', "Option 2 is empty; separate options with `|`"),
    "trailing bar": (Q + 'options:"Mon | Wed |"', "Option 3 is empty"),
    "duplicates": (Q + 'options:"Mon | Wed | mon"', "'mon' is given twice"),
    "long option": (
        Q + f'options:"Mon | {"x" * 56}"',
        "Option 2 is 56 characters; the limit is 55.",
    ),
    "5000-character question": (
        f'question:"{"q" * 5000}" options:"a | b"',
        "`question` is 5000 characters; the limit is 300.",
    ),
    "blank question": ('question:"  " options:"a | b"', "`question` cannot be empty."),
    "no options": (Q, "`/poll create` needs `options`."),
    "closing in the past": (
        Q + 'options:"a | b" closes:2026-03-01T18:00',
        "The closing time Sun 2026-03-01 18:00 UTC is not in the future "
        "(it is now Mon 2026-03-02 09:00 UTC).",
    ),
    "closing now": (Q + 'options:"a | b" closes:0s', "is not in the future"),
    "open too long": (
        Q + 'options:"a | b" closes:93d',
        "The closing time Wed 2026-06-03 09:00 UTC is too far away: polls, surveys and "
        "contests close at most 92 days from now.",
    ),
    "closing unreadable": (
        Q + 'options:"a | b" closes:someday',
        "`closes` must be a duration like 2d or 12h, or a date and time like "
        "2026-12-01T18:00 or fri 17:00 (got 'someday').",
    ),
    "not a boolean": (Q + 'options:"a | b" multi:maybe', "`multi` must be true or false"),
    "same but for inner spaces": (Q + 'options:"Not  sure | Not sure | Yes"', "given twice"),
    "same but for accents' encoding": (Q + 'options:"Ni\u00f1o | Nin\u0303o"', "given twice"),
}


@pytest.mark.parametrize(("options", "error"), BAD.values(), ids=BAD.keys())
async def test_bad_poll_is_refused_privately(recorded: Recorded, options: str, error: str) -> None:
    said = await recorded.command(f"/poll create {options}")
    [reply] = said
    assert reply.private_to == recorded.member("you")
    assert error in reply.text
    assert "Usage: /poll create question:" in reply.text
    assert stored(recorded) == 0  # no poll was posted or stored


async def test_a_bar_inside_quotes_belongs_to_its_option(recorded: Recorded) -> None:
    said = await recorded.command(
        """/poll create question:"Genre?" options:'"Rock | Pop" | Jazz | “Hip  hop”'"""
    )
    [poll] = said.public("poll")
    assert poll.labels == ["Rock | Pop · 0", "Jazz · 0", "Hip hop · 0"]
    assert list(poll.fields) == ["Rock | Pop", "Jazz", "Hip hop"]  # no stray quotes

    said = await recorded.command(
        """/poll create question:"Size?" options:'5" screen | 7" screen'"""
    )
    [poll] = said.public("poll")
    assert poll.labels == ['5" screen · 0', '7" screen · 0']  # inch marks are just characters


@pytest.mark.parametrize("command", ["/poll results id:7", "/poll close id:7"])
async def test_unknown_poll_id(recorded: Recorded, command: str) -> None:
    said = await recorded.command(command)
    assert said.told("you") == ["There is no poll 7."]


async def test_poll_id_must_be_a_number(recorded: Recorded) -> None:
    [reply] = (await recorded.command("/poll results id:seven")).told("you")
    assert "`id` must be a whole number (got 'seven')." in reply


async def test_a_forged_vote_button_is_refused(recorded: Recorded) -> None:
    await recorded.command('/poll create question:"Best day?" options:"a | b"')
    # a message whose button points at an option the poll does not have
    from bot.core.messages import Button, Message

    general = recorded.channel("general")
    await recorded.app.send(
        general.platform, general.channel_id, Message("x", buttons=(Button("9", "poll:vote:1:9"),))
    )
    said = await recorded.click(recorded.last("general"), "9")
    assert said.told("you") == ["That option is not on this poll."]


async def test_naive_closing_time_is_read_in_the_community_zone(db_url: str) -> None:
    recorded = await open_recorded(make_settings(db_url, timezone="Europe/Berlin"))
    try:
        said = await recorded.command(
            '/poll create question:"Best day?" options:"a | b" closes:2026-03-03T18:00'
        )
        [poll] = said.public("poll")
        assert "closes Tue 2026-03-03 18:00 CET" in poll.plain
        closes = recorded.app.store.call(lambda s: s.exec(select(Poll.closes_at)).one())
        assert closes == datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


async def test_publish_poll_for_the_calendar(recorded: Recorded) -> None:
    app = recorded.app
    announcements = recorded.channel("announcements")
    sent = await publish_poll(
        app,
        platform=announcements.platform,
        channel_id=announcements.channel_id,
        question="Which topic next?",
        options=["Testing", "Typing"],
        author=None,
        closes_at=app.clock.now() + timedelta(days=3),
        anonymous=True,
    )
    poll = recorded.last("announcements", tag="poll")
    assert (poll.message_id, poll.text) == (sent.message_id, "Which topic next?")
    assert poll.message.sections[0].title == "Poll 1 · single choice · anonymous"
    assert "closes Thu 2026-03-05 09:00 UTC" in poll.plain
    posted = app.store.call(
        lambda s: s.exec(
            select(BotMessage).where(BotMessage.platform_message_id == sent.message_id)
        ).one()
    )
    assert (posted.feature, posted.ref_id, posted.content_type) == ("poll", 1, "poll")

    with pytest.raises(UsageError, match="you gave 1"):
        await publish_poll(
            app,
            platform=announcements.platform,
            channel_id=announcements.channel_id,
            question="Lonely?",
            options=["yes"],
            author=None,
        )
    assert stored(recorded) == 3  # the first poll and its two options, nothing more
