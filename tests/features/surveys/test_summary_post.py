"""A survey's closing summary goes out through the outbox: retried, and the close is honest."""

from __future__ import annotations

from bot.core.envelope import Destination
from bot.core.messages import Message
from tests.recording import Recorded

CREATE = '/survey create title:"March meetup" questions:"How useful was it? (1-5)"'


async def test_a_summary_the_platform_refused_is_posted_on_the_next_try(
    recorded: Recorded,
) -> None:
    recorded.manager("mia")
    [post] = (await recorded.command(CREATE, by="mia", in_="managers")).public("survey")
    send = recorded.adapter.send
    refused = []

    async def refuse_once(to: Destination, message: Message):
        if to.channel_id == post.channel.channel_id and not refused:
            refused.append(message)
            raise RuntimeError("503 Service Unavailable")
        return await send(to, message)

    recorded.adapter.send = refuse_once  # type: ignore[method-assign]
    recorded.adapter.posts.remove(post)  # and the survey's post was deleted on the platform
    said = await recorded.command("/survey close id:1", by="mia", in_="managers")
    assert said.told("mia") == [
        "Survey #1 is closed; its summary could not be posted yet and will be posted as soon "
        "as the platform takes it."
    ]
    assert said.public("survey") == [] and len(refused) == 1
    said = await recorded.advance("1m")
    [summary] = said.public("survey")
    assert summary.channel.name == "general" and summary.text == refused[0].text
    assert (await recorded.advance("1d")).public("survey") == []
