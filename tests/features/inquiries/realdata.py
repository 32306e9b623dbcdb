"""The shared Slack export (10academy-slack), read for tests: its people, its channels and its
messages in time order, and the inquiries computed straight from the raw JSON.

The export is a local fixture outside the checkout (`../shared/realdata/`): tests skip when it
is absent and never copy it. Its message text is lowercased upstream, mentions too
(`<@u03uvhcv6kb>`), while `user` fields keep upper case: ids are matched case-insensitively.

`expected_inquiries` applies the tracker's rules in a batch pass over each channel's sorted
messages, without the tracker's code (only its question detector, which is the rules' own
definition of "reads as a question"), so a replay through the tracker can be checked against it.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.features.inquiries.questions import is_question

EXPORT = (Path(__file__).parents[3] / ".." / "shared" / "realdata" / "10academy-slack").resolve()
SLACKBOT = "USLACKBOT"
POSTS = {None, "thread_broadcast", "file_share", "me_message"}  # what members write
FIELDS = ("type", "subtype", "ts", "thread_ts", "user", "parent_user_id", "text")
SHARED = ("is_share", "ts", "channel_id", "author_id")  # of a "Share message" attachment
FOLLOW_UP_US = 120_000_000  # a line this soon (inclusive) after the asker's last one joins it
WATCHED_US = 30 * 86_400_000_000  # an answer this late (inclusive) still counts; later, none
_MENTION = re.compile(r"<@([uw][a-z0-9]+)(?:\|[^>]*)?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_CHARACTER = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}

Raw = dict[str, Any]


@dataclass(frozen=True)
class Export:
    """A Slack workspace export: users.json, channels.json and every day file's messages."""

    users: tuple[Raw, ...]
    channels: tuple[Raw, ...]
    messages: tuple[tuple[str, Raw], ...]  # (channel id, message), oldest first

    @property
    def bots(self) -> frozenset[str]:
        """The user ids that are not people: bots per users.json, and Slackbot."""
        return frozenset({SLACKBOT} | {u["id"] for u in self.users if u.get("is_bot")})


def micros(ts: str) -> int:
    """A Slack `ts` ("1661520000.123456") as exact microseconds since the epoch."""
    seconds, _, fraction = ts.partition(".")
    return int(seconds) * 1_000_000 + int(fraction.ljust(6, "0")[:6])


def load_export(path: Path = EXPORT) -> Export:
    """Every message of the export at `path`, in time order across channels, with only the
    fields a message is read by (its blocks, profile and reactions would be millions of
    objects for the garbage collector to walk again and again while a test runs)."""
    channels = tuple(json.loads((path / "channels.json").read_text()))
    messages = [
        (channel["id"], _fields(message))
        for channel in channels
        for day in sorted((path / channel["name"]).glob("*.json"))
        for message in json.loads(day.read_text())
    ]
    messages.sort(key=lambda item: (micros(item[1]["ts"]), item[0]))
    users = tuple(json.loads((path / "users.json").read_text()))
    return Export(users, channels, tuple(messages))


def _fields(message: Raw) -> Raw:
    """`message` with its own fields only, and the messages it shares ("Share message")."""
    kept = {key: message[key] for key in FIELDS if key in message}
    shared = [a for a in message.get("attachments") or () if a and a.get("is_share")]
    if shared:
        kept["attachments"] = [{key: a.get(key) for key in SHARED} for a in shared]
    return kept


# ---- the inquiries, straight from the raw messages ---------------------------------------------
@dataclass(frozen=True)
class Line:
    """A person's post as the rules read it (times in exact microseconds)."""

    at: int
    ts: str
    user: str
    thread: str | None  # the root's ts for a thread reply (thread_broadcast too), else None
    text: str  # with Slack's &amp; &lt; &gt; unescaped
    mentions: frozenset[str]  # upper-cased user ids
    shares: bool  # a top-level "Share message" (with or without a comment)


@dataclass
class Expected:
    """One inquiry: its lines' ts (the first is the question's) and its first answer's time."""

    channel_id: str
    asker: str
    lines: list[str]
    asked_at: int
    last_at: int
    answered_at: int | None = None

    @property
    def seconds(self) -> float | None:
        """Seconds from the question to its first answer (None: never answered)."""
        return None if self.answered_at is None else (self.answered_at - self.asked_at) / 1e6


def expected_inquiries(export: Export) -> list[Expected]:
    """Every inquiry the rules open on `export`, every channel a help channel, with its first
    answer. A top-level share is a post: its comment may ask, join or answer."""
    found: list[Expected] = []
    for channel_id, lines in _people_posts(export).items():
        asked = _asked(channel_id, (line for line in lines if line.thread is None))
        _answer(asked, lines)
        found.extend(asked)
    return sorted(found, key=lambda inquiry: (inquiry.asked_at, inquiry.channel_id))


def _people_posts(export: Export) -> dict[str, list[Line]]:
    """By channel, in time order: every post by a person (joins, tombstones, bots left out)."""
    bots, found = export.bots, defaultdict(list)
    for channel_id, raw in export.messages:
        user = raw.get("user")
        if raw.get("subtype") not in POSTS or not user or user in bots:
            continue
        ts, root, text = raw["ts"], raw.get("thread_ts"), raw.get("text") or ""
        thread = root if root and root != ts else None
        shared = any(a.get("is_share") and a.get("ts") for a in raw.get("attachments") or ())
        found[channel_id].append(
            Line(
                micros(ts),
                ts,
                user,
                thread,
                _ENTITY.sub(lambda entity: _CHARACTER[entity[0]], text),
                frozenset(user_id.upper() for user_id in _MENTION.findall(text)),
                shared and thread is None,
            )
        )
    return found


def _asked(channel_id: str, top_level: Iterable[Line]) -> list[Expected]:
    """The channel's inquiries: a question opens one, unless it is its asker's follow-up
    (within FOLLOW_UP of the last line of their latest inquiry here, question or not)."""
    asked: list[Expected] = []
    latest: dict[str, Expected] = {}  # each asker's latest inquiry here
    for line in top_level:
        last = latest.get(line.user)
        if last is not None and 0 <= line.at - last.last_at <= FOLLOW_UP_US:
            last.lines.append(line.ts)
            last.last_at = line.at
        elif is_question(line.text):
            latest[line.user] = Expected(channel_id, line.user, [line.ts], line.at, line.at)
            asked.append(latest[line.user])
    return asked


def _answer(asked: list[Expected], lines: list[Line]) -> None:
    """Set each inquiry's first answer: the earliest later post by someone else that replies
    in the thread of one of its lines, or mentions its asker, within WATCHED_US."""
    replies: dict[str, list[Line]] = defaultdict(list)  # by the thread's root ts
    mentioning: dict[str, list[Line]] = defaultdict(list)  # by who is mentioned
    for line in lines:
        if line.thread is not None:
            replies[line.thread].append(line)
        for user_id in line.mentions:
            mentioning[user_id].append(line)
    for inquiry in asked:
        places = (mentioning[inquiry.asker], *(replies[ts] for ts in inquiry.lines))
        firsts = (_first_after(inquiry.asked_at, inquiry.asker, lines) for lines in places)
        first = min((at for at in firsts if at is not None), default=None)
        watched = first is not None and first - inquiry.asked_at <= WATCHED_US
        inquiry.answered_at = first if watched else None


def _first_after(after: int, asker: str, lines: list[Line]) -> int | None:
    """When the first of `lines` (in time order) later than `after` not by `asker` was."""
    start = bisect_right(lines, after, key=lambda line: line.at)
    return next((line.at for line in lines[start:] if line.user != asker), None)
