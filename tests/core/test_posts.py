"""The bot's posts are found by what they are for; a message id is unique per channel."""

from __future__ import annotations

import pytest

from bot.core.messages import Message, SentMessage
from bot.core.posts import find_post, post_and_remember, remember
from tests.conftest import START
from tests.recording import Recorded


async def test_one_message_id_in_two_channels_is_two_posts(recorded: Recorded) -> None:
    def store(session) -> None:
        for channel, ref in (("C01", 1), ("C02", 2)):  # a Slack ts is unique per channel only
            sent = SentMessage("test", channel, "1712345678.000100")
            remember(session, sent, START, feature="poll", ref_id=ref, role="poll")

    recorded.app.store.call(store)
    post = recorded.app.store.call(find_post, "poll", 1, "poll")
    assert post == SentMessage("test", "C01", "1712345678.000100")
    post = recorded.app.store.call(find_post, "poll", 2, "poll")
    assert post == SentMessage("test", "C02", "1712345678.000100")


async def test_post_and_remember_undoes_what_the_platform_refused(recorded: Recorded) -> None:
    undone = []

    async def refuse(to, message):
        raise RuntimeError("403 Missing Access")

    recorded.adapter.send = refuse  # type: ignore[method-assign]
    general = recorded.channel("general")
    with pytest.raises(RuntimeError, match="403 Missing Access"):
        await post_and_remember(
            recorded.app,
            "test",
            general.channel_id,
            Message(text="Poll"),
            feature="poll",
            ref_id=7,
            role="poll",
            undo=lambda session: undone.append(7),
        )
    assert undone == [7]
    assert recorded.app.store.call(find_post, "poll", 7, "poll") is None
