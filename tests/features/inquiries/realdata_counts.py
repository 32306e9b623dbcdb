"""What a Slack export holds, counted straight from its raw JSON (plain `json` over the day
files, none of the adapter's code): the events an import must record, the people behind them,
and how long each thread root waited for its first reply by someone else.

The rules are Slack's own shapes: a member's post has a `user` and no subtype, or
`thread_broadcast`, `file_share` or `me_message` (a bot's post is `bot_message`, by its
`user` or `bot_id`); it is a thread reply when its `thread_ts` is not its `ts`; a top-level
post with a "Share message" attachment is a share; an `edited` post was edited; a
`channel_join` is a join; each name in a reaction's `users` is one reaction, on whatever record
it is on. A message is its channel and `ts`: a record repeated in the export counts once.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.features.inquiries.realdata import POSTS, micros

DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")
BOT_POST = "bot_message"
Raw = dict[str, Any]
Message = tuple[str, str]  # (channel id, ts)


@dataclass
class RawCounts:
    """The export's events by interaction kind, who did them, and its threads' first replies."""

    kinds: dict[str, set[tuple]] = field(default_factory=lambda: defaultdict(set))
    members: set[str] = field(default_factory=set)  # user ids of everyone who did something
    roots: dict[Message, tuple[str, int]] = field(default_factory=dict)  # author, micros
    replies: dict[Message, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))

    def counts(self) -> dict[str, int]:
        """How many events of each interaction kind."""
        return {kind: len(found) for kind, found in sorted(self.kinds.items()) if found}

    def first_answers(self) -> dict[Message, float]:
        """Seconds from each thread root to its first reply by someone other than its author
        (roots answered only by their author, or not at all, are left out)."""
        found = {}
        for key, (author, at) in self.roots.items():
            others = [reply_at for reply_at, user in self.replies.get(key, ()) if user != author]
            if others:
                found[key] = (min(others) - at) / 1e6
        return found


def day_files(export: Path) -> list[tuple[str, Path]]:
    """Every day file of the export's listed channels, with its channel's id."""
    channels = [
        channel
        for listing in ("channels.json", "groups.json")
        if (export / listing).exists()
        for channel in json.loads((export / listing).read_text())
    ]
    return [
        (channel["id"], day)
        for channel in channels
        for day in sorted((export / channel["name"]).iterdir())
        if DAY_FILE.fullmatch(day.name)
    ]


def count_export(export: Path) -> RawCounts:
    """Count everything in the export at `export`."""
    counts = RawCounts()
    for channel_id, day in day_files(export):
        for raw in json.loads(day.read_text()):
            _count(counts, channel_id, raw)
    return counts


def _count(counts: RawCounts, channel_id: str, raw: Raw) -> None:
    ts, subtype = raw["ts"], raw.get("subtype")
    user = raw.get("user") or (raw.get("bot_id") if subtype == BOT_POST else None)
    if user and (subtype in POSTS or subtype == BOT_POST):
        _post(counts, channel_id, raw, user)
    elif user and subtype == "channel_join":
        counts.kinds["member_joined"].add((channel_id, ts, user))
        counts.members.add(user)
    for reaction in raw.get("reactions") or ():
        for reactor in reaction.get("users") or ():
            counts.kinds["reaction_added"].add((channel_id, ts, reaction["name"], reactor))
            counts.members.add(reactor)


def _post(counts: RawCounts, channel_id: str, raw: Raw, user: str) -> None:
    ts, thread_ts = raw["ts"], raw.get("thread_ts")
    key = (channel_id, ts)
    counts.members.add(user)
    if raw.get("edited"):
        counts.kinds["message_edited"].add(key)
    if thread_ts and thread_ts != ts:
        counts.kinds["reply"].add(key)
        counts.replies[(channel_id, thread_ts)].append((micros(ts), user))
        return
    shares = any(a.get("is_share") and a.get("ts") for a in raw.get("attachments") or ())
    counts.kinds["message_shared" if shares else "message"].add(key)
    counts.roots[key] = (user, micros(ts))
