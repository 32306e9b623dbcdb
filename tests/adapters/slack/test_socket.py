"""Socket Mode over time: when Slack recycles the connection (a `disconnect` message),
Steward opens a new one and the events that come on it are recorded."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.harness import Workspace, steward, wait_for


async def test_after_slack_asks_for_a_reconnect_events_arrive_on_the_new_connection(
    space: Workspace, socket_config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    async with steward(socket_config) as run:
        [first] = fake.sockets
        opened = len(fake.called("apps.connections.open"))
        await fake.disconnect_socket("refresh_requested")
        [second] = await wait_for(lambda: [ws for ws in fake.sockets if ws is not first])
        await wait_for(lambda: fake.sockets == [second])  # had its hello; the old one let go
        ts = fake.add_message(general, bob, "still listening?")
        event = fake.event(fake.message_event(general, bob, "still listening?", ts))
        await fake.post_socket(event)  # on the newest connection; the ack comes back on it
        await wait_for(lambda: run.count("message", bob) == 1)
    assert len(fake.called("apps.connections.open")) == opened + 1  # a new URL, a new hello
