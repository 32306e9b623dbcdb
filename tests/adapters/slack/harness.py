"""Steward on Slack in a test: the local fake Slack, and Steward started as `steward run
--config` starts it, reached over HTTP (signed requests) or Socket Mode."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.app import Steward
from tests.adapters import running
from tests.fakes.slack_server import FakeSlack, wait_for

__all__ = ["FakeSlack", "Workspace", "wait_for"]


@dataclass
class Workspace:
    """The fake workspace's ids: channels and people by name."""

    fake: FakeSlack
    channels: dict[str, str]
    people: dict[str, str]

    def channel(self, name: str) -> str:
        return self.channels[name]

    def person(self, name: str) -> str:
        return self.people[name]


def populate(fake: FakeSlack) -> Workspace:
    """general, help, announcements, managers; alice the manager; bob, carol and dave."""
    channels = {"general": fake.general_id}
    for name in ("help", "announcements", "managers"):
        channels[name] = fake.add_channel(name)
    people = {name: fake.add_user(name) for name in ("alice", "bob", "carol", "dave")}
    return Workspace(fake, channels, people)


def write_config(
    path: Path, space: Workspace, db: Path, mode: str = "http", **slack_keys: object
) -> Path:
    """A steward.toml for the fake workspace: alice manages, the endpoint on a free port."""
    fake = space.fake
    keys = {
        "enabled": True,
        "bot_token": fake.bot_token,
        "signing_secret": fake.signing_secret,
        "app_token": fake.app_token,
        "mode": mode,
        "port": 0,
        "api_base_url": fake.api_base_url,
        "admin_channel": "managers",
        "managers": [space.person("alice")],
        **slack_keys,
    }
    return running.write_config(path, db, "slack", keys)


def steward(
    config: Path, prepare: Callable[[Steward], None] | None = None
) -> contextlib.AbstractAsyncContextManager[running.Running]:
    """Steward on Slack, running on `config` until the block ends."""
    return running.steward(config, "slack", prepare)


def endpoint(run: running.Running) -> str:
    """Where the running Steward takes Slack's HTTP requests."""
    return f"http://127.0.0.1:{run.adapter.transport.port}/slack/events"


SOCKET_KINDS = {"event": "events_api", "command": "slash_commands", "interactive": "interactive"}


async def deliver(
    run: running.Running, fake: FakeSlack, body: dict, kind: str, **options: Any
) -> Any:
    """Send `body` as Slack would in the running Steward's mode: a signed HTTP POST (`kind`
    event, command or interactive) or a Socket Mode envelope; the HTTP answer or the ack."""
    if run.adapter.config.mode == "socket":
        return await fake.post_socket(body, kind=SOCKET_KINDS[kind], **options)
    return await fake.post_http(endpoint(run), body, kind=kind, **options)


def bot_posts(fake: FakeSlack, channel_id: str) -> list[dict]:
    """The messages the bot posted in a channel, oldest first (as they read now)."""
    return [m for m in fake.messages.get(channel_id, []) if m.get("user") == fake.bot_user_id]


def shown_text(message: dict) -> str:
    """Everything a member reads in a message: its blocks' texts and fields (or its text)."""
    parts: list[str] = []
    for block in message.get("blocks") or []:
        parts += _texts(block)
    return "\n".join(parts) if parts else message.get("text", "")


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            return [node["text"]]
        if node.get("type") == "button":
            return []
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def buttons(message: dict) -> dict[str, str]:
    """A posted message's buttons: label -> value (the core's action id), in order."""
    found: dict[str, str] = {}
    for block in message.get("blocks") or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            found[element["text"]["text"]] = element.get("value") or element["action_id"]
    return found


def blocks_of(params: dict) -> list[dict]:
    """The blocks of a Web API call's parameters (sent as a JSON string or a list)."""
    value = params.get("blocks") or []
    return json.loads(value) if isinstance(value, str) else value


def private_answers(fake: FakeSlack, answer: Any) -> list[str]:
    """What only the member who asked reads: the ephemeral ack body (HTTP response or the
    Socket Mode ack's payload), then what came through response_urls or chat.postEphemeral."""
    body = answer.get("payload") if isinstance(answer, dict) else getattr(answer, "json", None)
    found = []
    if isinstance(body, dict) and body.get("response_type") == "ephemeral":
        found.append(shown_text({**body, "blocks": blocks_of(body)}))
    for sent in fake.ephemerals:
        if sent.get("response_type", "ephemeral") == "ephemeral":
            found.append(shown_text({**sent, "blocks": blocks_of(sent)}))
    return found


async def ask(
    run: running.Running, space: Workspace, who: str, where: str, command: str, text: str = ""
) -> Any:
    """`who` runs the slash command in channel `where`; Steward's answer to the delivery."""
    fake = space.fake
    body = fake.command(command, text, user_id=space.person(who), channel_id=space.channel(where))
    return await deliver(run, fake, body, "command")


async def answered(fake: FakeSlack, answer: Any, expected: str) -> list[str]:
    """The private answers, once one of them says `expected`."""
    await wait_for(lambda: any(expected in text for text in private_answers(fake, answer)))
    return private_answers(fake, answer)


def all_posts(space: Workspace) -> list[dict]:
    return [post for channel in space.channels.values() for post in bot_posts(space.fake, channel)]
