"""Generated exports for the import benchmark, in the shapes the tools write them.

The mix of the live ingest benchmark: of every 1,000 events, 600 messages, 200 thread replies,
175 reactions and 25 channel joins, by 5,000 members in 50 channels, over a few months. A Slack
export has one folder per channel with a day file per day (messages with `blocks` and
`user_profile`, as Slack writes them); DiscordChatExporter one indented JSON file per channel.
Files are written one at a time, so memory stays flat however many events are asked for.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
PER_DAY = 100  # message records per channel and day
EMOJI = (("thumbsup", "👍"), ("tada", "🎉"), ("heart", "❤️"), ("joy", "😂"), ("eyes", "👀"))
WORDS = [
    "how",
    "do",
    "i",
    "set",
    "up",
    "the",
    "build",
    "it",
    "fails",
    "on",
    "windows",
    "with",
    "an",
    "error",
    "thanks",
    "this",
    "works",
    "now",
]


@dataclass(frozen=True)
class Record:
    """One generated record: a message (or reply to `parent`), a join; `reactors` react."""

    n: int  # unique within the export
    channel: int
    author: int
    at: datetime
    kind: str  # "message", "reply", "join"
    parent: int | None = None  # the record replied to (same channel)
    reactors: tuple[int, ...] = ()
    text: str = ""


def records(events: int, members: int, channels: int, seed: int = 13) -> Iterator[list[Record]]:
    """The records of each channel in turn (a list per channel), `events` events in all."""
    rng = random.Random(seed)
    per_channel = events // channels
    for channel in range(channels):
        yield list(_channel(rng, channel, per_channel, members))


def _channel(rng: random.Random, channel: int, events: int, members: int) -> Iterator[Record]:
    made, n, roots = 0, channel * 10_000_000, []
    at = START
    while made < events:
        n += 1
        at += timedelta(seconds=86_400 / PER_DAY * rng.uniform(0.5, 1.5))
        author = rng.randrange(members)
        roll = rng.random()
        if roll < 25 / 825:
            yield Record(n, channel, author, at, "join")
            made += 1
            continue
        reactors: tuple[int, ...] = ()
        if rng.random() < 175 / 800:  # 175 reactions over 800 posts: one each, on these
            reactors = (rng.randrange(members),)
        text = " ".join(rng.choices(WORDS, k=rng.randint(3, 16)))
        if roll < 225 / 825 and roots:
            parent = roots[-rng.randint(1, min(20, len(roots)))]
            yield Record(n, channel, author, at, "reply", parent, reactors, text)
        else:
            roots.append(n)
            yield Record(n, channel, author, at, "message", None, reactors, text)
        made += 1 + len(reactors)


# ---- Slack ---------------------------------------------------------------------------------
def slack_user(member: int) -> str:
    return f"U{member:09d}"


def slack_ts(at: datetime, n: int) -> str:
    return f"{int(at.timestamp())}.{n % 1_000_000:06d}"


def write_slack_export(folder: Path, events: int, members: int, channels: int) -> int:
    """A Slack workspace export of about `events` events in `folder`; the events written."""
    folder.mkdir(parents=True, exist_ok=True)
    users = [
        {"id": slack_user(m), "name": f"member{m}", "real_name": f"Member {m}", "deleted": False}
        for m in range(members)
    ]
    (folder / "users.json").write_text(json.dumps(users))
    listed = [
        {"id": f"C{c:08d}", "name": f"channel-{c}", "created": 1700000000, "members": []}
        for c in range(channels)
    ]
    (folder / "channels.json").write_text(json.dumps(listed))
    written = 0
    for channel in records(events, members, channels):
        place = folder / f"channel-{channel[0].channel}"
        place.mkdir(exist_ok=True)
        by_day: dict[str, list[dict]] = {}
        ts_of = {r.n: slack_ts(r.at, r.n) for r in channel}
        for record in channel:
            by_day.setdefault(f"{record.at:%Y-%m-%d}", []).append(_slack_message(record, ts_of))
            written += 1 + len(record.reactors)
        for day, messages in by_day.items():
            (place / f"{day}.json").write_text(json.dumps(messages, indent=4))
    return written


def _slack_message(record: Record, ts_of: dict[int, str]) -> dict:
    user, ts = slack_user(record.author), ts_of[record.n]
    if record.kind == "join":
        text = f"<@{user}> has joined the channel"
        return {"type": "message", "subtype": "channel_join", "ts": ts, "user": user, "text": text}
    message = {
        "client_msg_id": str(uuid.UUID(int=record.n)),
        "type": "message",
        "text": record.text,
        "user": user,
        "ts": ts,
        "blocks": [
            {
                "type": "rich_text",
                "block_id": f"b{record.n % 99999}",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [{"type": "text", "text": record.text}],
                    }
                ],
            }
        ],
        "team": "T0000BENCH",
        "user_team": "T0000BENCH",
        "source_team": "T0000BENCH",
        "user_profile": {
            "avatar_hash": "g0a1b2c3d4e5",
            "image_72": "https://secure.gravatar.com/avatar/0a1b2c3d4e5.jpg?s=72",
            "first_name": "Member",
            "real_name": f"Member {record.author}",
            "display_name": f"member{record.author}",
            "team": "T0000BENCH",
            "name": f"member{record.author}",
            "is_restricted": False,
            "is_ultra_restricted": False,
        },
    }
    if record.parent is not None:
        message["thread_ts"] = ts_of[record.parent]
        message["parent_user_id"] = user  # the root's author is not tracked here: any will do
    if record.reactors:
        name = EMOJI[record.n % len(EMOJI)][0]
        reactors = [slack_user(m) for m in record.reactors]
        message["reactions"] = [{"name": name, "users": reactors, "count": len(reactors)}]
    return message


# ---- DiscordChatExporter -------------------------------------------------------------------
def write_discord_export(folder: Path, events: int, members: int, channels: int) -> int:
    """One DiscordChatExporter JSON file per channel in `folder`; the events written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for channel in records(events, members, channels):
        number = channel[0].channel
        header = {
            "guild": {"id": "900000000000000001", "name": "Bench", "iconUrl": ""},
            "channel": {
                "id": str(910000000000000000 + number),
                "type": "GuildTextChat",
                "categoryId": "920000000000000000",
                "category": "Community",
                "name": f"channel-{number}",
                "topic": None,
            },
            "dateRange": {"after": None, "before": None},
            "exportedAt": "2025-06-01T00:00:00+00:00",
        }
        messages = [_discord_message(record) for record in channel]
        written += sum(1 + len(r.reactors) for r in channel)
        document = {**header, "messages": messages, "messageCount": len(messages)}
        with open(folder / f"Bench - channel-{number}.json", "w") as out:
            json.dump(document, out, indent=2, ensure_ascii=False)
    return written


def discord_id(n: int) -> str:
    return str(1_000_000_000_000_000_000 + n)


def _author(member: int) -> dict:
    return {
        "id": str(800000000000000000 + member),
        "name": f"member{member}",
        "discriminator": "0000",
        "nickname": f"Member {member}",
        "color": None,
        "isBot": False,
        "roles": [],
        "avatarUrl": "https://cdn.discordapp.com/embed/avatars/0.png",
    }


def _discord_message(record: Record) -> dict:
    kind = {"join": "GuildMemberJoin", "reply": "Reply"}.get(record.kind, "Default")
    message = {
        "id": discord_id(record.n),
        "type": kind,
        "timestamp": record.at.isoformat(timespec="milliseconds"),
        "timestampEdited": None,
        "callEndedTimestamp": None,
        "isPinned": False,
        "content": record.text,
        "author": _author(record.author),
        "attachments": [],
        "embeds": [],
        "stickers": [],
        "reactions": [],
        "mentions": [],
        "inlineEmojis": [],
    }
    if record.parent is not None:
        message["reference"] = {
            "messageId": discord_id(record.parent),
            "channelId": str(910000000000000000 + record.channel),
            "guildId": "900000000000000001",
        }
    if record.reactors:
        emoji = EMOJI[record.n % len(EMOJI)]
        message["reactions"] = [
            {
                "emoji": {"id": "", "name": emoji[1], "code": emoji[0], "isAnimated": False},
                "count": len(record.reactors),
                "users": [_author(m) for m in record.reactors],
            }
        ]
    return message
