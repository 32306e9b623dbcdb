"""The recording adapter the feature tests use is a real adapter: the protocol, method by method."""

from __future__ import annotations

import inspect

from bot.core.adapter import Adapter
from bot.core.envelope import Destination
from bot.core.messages import Message
from tests.recording import Recorded, RecordingAdapter

PROTOCOL_METHODS = ("start", "serve", "stop", "send", "update")


def test_every_protocol_method_is_implemented_with_its_parameters() -> None:
    for name in (*PROTOCOL_METHODS, "find_channel"):
        wanted = list(inspect.signature(getattr(Adapter, name)).parameters)
        assert list(inspect.signature(getattr(RecordingAdapter, name)).parameters) == wanted
        assert inspect.iscoroutinefunction(getattr(RecordingAdapter, name))


async def test_posts_edits_and_private_replies_are_kept_with_their_channel(
    recorded: Recorded,
) -> None:
    adapter = recorded.adapter
    announcements = await adapter.find_channel("#announcements")
    assert announcements is not None and announcements.channel_id != "announcements"
    where = Destination(adapter.platform, announcements.channel_id)
    sent = await adapter.send(where, Message(text="first"))
    await adapter.update(sent, Message(text="second"))
    [posted] = recorded.public("announcements")
    assert (posted.text, posted.edits, posted.versions[0].text) == ("second", 1, "first")
    said = await recorded.command("/help", by="bob")
    assert said and all(p.private_to == recorded.member("bob") for p in said)
    assert said[0].answers is not None and said[0].answers.member.name == "bob"
