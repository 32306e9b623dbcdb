"""One ISO week of the shared Slack export, counted straight from its raw JSON (parsed by
`orjson`, none of Steward's code), as the digest's docstrings define its figures.

Slack's shapes: a person's post has a `user` and no subtype, or `thread_broadcast`,
`file_share` or `me_message`; it is a reply when its `thread_ts` is not its `ts`, else a share
when it carries a "Share message" attachment, else a message. An `edited` post was edited at
its `edited.ts`; each name in a reaction's `users` is one reaction, at its message's time (the
export gives no reaction's time); a `channel_join` is a join. A message is its channel and
`ts`: a record repeated counts once. Bots (users.json's `is_bot`, Slackbot, `bot_message`
posts) are left out of everything.

The digest's definitions (figures, members, presence): a week is Monday 00:00 to the next
Monday 00:00 in the community zone. A member is counted at the week's end when they joined
before it: their earliest join on record, else the first time anything of theirs is on
record (imported history never marks anyone gone). Engaging is a message, reply, reaction,
edit or share (not a join); active: counted, with an engaging act in the week;
communicators: counted, with a message or a reply in it; new: counted, joined in the week.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

SLACKBOT = "USLACKBOT"
POSTS = {None, "thread_broadcast", "file_share", "me_message"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ENGAGING = ("message", "reply", "reaction", "edit", "share")
POSTED = ("message", "reply")
Raw = dict[str, Any]


@dataclass(frozen=True)
class Act:
    """One engaging act by a person."""

    kind: str  # one of ENGAGING
    user: str
    at: datetime  # UTC


@dataclass
class RawHistory:
    """The export's engaging acts by people, and when each person joined or was first seen."""

    acts: list[Act] = field(default_factory=list)
    joined: dict[str, datetime] = field(default_factory=dict)  # earliest channel_join
    first_seen: dict[str, datetime] = field(default_factory=dict)  # earliest record of theirs
    bots: set[str] = field(default_factory=set)

    def since(self, user: str) -> datetime:
        """When `user` became a member: their earliest join, else their first record."""
        return self.joined.get(user) or self.first_seen[user]

    def people(self) -> set[str]:
        return set(self.first_seen) - self.bots


@dataclass(frozen=True)
class WeekCounts:
    """A week's figures, as the digest should show them."""

    week: str
    messages: int
    replies: int
    reactions: int
    shares: int
    edits: int
    active: int
    communicators: int
    total: int
    new: int
    active_joined_later: int  # active in the week, but their earliest join is after it

    @property
    def interactions(self) -> int:
        return self.messages + self.replies + self.reactions + self.shares + self.edits


def at_ts(ts: str) -> datetime:
    """A Slack `ts` ("1661520000.123456") as an exact UTC datetime."""
    seconds, _, fraction = ts.partition(".")
    micros = int(seconds) * 1_000_000 + int(fraction.ljust(6, "0")[:6])
    return EPOCH + timedelta(microseconds=micros)


def read_history(export: Path) -> RawHistory:
    """Every person's engaging act in the export at `export`, joins and first records."""
    users = orjson.loads((export / "users.json").read_bytes())
    history = RawHistory(bots={SLACKBOT} | {u["id"] for u in users if u.get("is_bot")})
    seen: set[tuple] = set()
    for channel in orjson.loads((export / "channels.json").read_bytes()):
        for day in sorted((export / channel["name"]).glob("????-??-??.json")):
            for raw in orjson.loads(day.read_bytes()):
                if (channel["id"], raw["ts"]) not in seen:
                    seen.add((channel["id"], raw["ts"]))
                    _read(history, raw)
    return history


def _read(history: RawHistory, raw: Raw) -> None:
    at, user, subtype = at_ts(raw["ts"]), raw.get("user"), raw.get("subtype")
    if subtype == "bot_message":
        history.bots.add(user or raw.get("bot_id") or "")
    elif user and subtype in POSTS:
        _post(history, raw, user, at)
    elif user and subtype == "channel_join":
        _seen(history, user, at)
        if user not in history.joined or at < history.joined[user]:
            history.joined[user] = at
    for reaction in raw.get("reactions") or ():
        for reactor in reaction.get("users") or ():
            _act(history, "reaction", reactor, at)


def _post(history: RawHistory, raw: Raw, user: str, at: datetime) -> None:
    thread_ts = raw.get("thread_ts")
    if thread_ts and thread_ts != raw["ts"]:
        kind = "reply"
    elif any(a and a.get("is_share") and a.get("ts") for a in raw.get("attachments") or ()):
        kind = "share"
    else:
        kind = "message"
    _act(history, kind, user, at)
    if raw.get("edited"):
        _act(history, "edit", user, at_ts(raw["edited"]["ts"]))


def _act(history: RawHistory, kind: str, user: str, at: datetime) -> None:
    history.acts.append(Act(kind, user, at))
    _seen(history, user, at)


def _seen(history: RawHistory, user: str, at: datetime) -> None:
    if user not in history.first_seen or at < history.first_seen[user]:
        history.first_seen[user] = at


# ---- weeks --------------------------------------------------------------------------------------
def week_label(at: datetime, zone: ZoneInfo) -> str:
    """The ISO week ("2022-W40") of the local date of `at` in `zone`."""
    year, number, _ = at.astimezone(zone).isocalendar()
    return f"{year}-W{number:02d}"


def busiest_week(history: RawHistory, zone: ZoneInfo) -> str:
    """The week with the most messages and replies by people (the earliest of a tie)."""
    weeks = Counter(
        week_label(act.at, zone)
        for act in history.acts
        if act.kind in POSTED and act.user not in history.bots
    )
    return min(weeks, key=lambda week: (-weeks[week], week))


def count_week(history: RawHistory, week: str, zone: ZoneInfo) -> WeekCounts:
    """The figures of `week` in `zone`."""
    acts = [
        act
        for act in history.acts
        if act.user not in history.bots and week_label(act.at, zone) == week
    ]
    kinds = Counter(act.kind for act in acts)
    end = _week_end(week, zone)

    def here(user: str) -> bool:
        return history.since(user) < end

    engaged = {act.user for act in acts}
    counted = {user for user in history.people() if here(user)}
    return WeekCounts(
        week=week,
        messages=kinds["message"],
        replies=kinds["reply"],
        reactions=kinds["reaction"],
        shares=kinds["share"],
        edits=kinds["edit"],
        active=len(engaged & counted),
        communicators=len({act.user for act in acts if act.kind in POSTED} & counted),
        total=len(counted),
        new=sum(1 for user in counted if week_label(history.since(user), zone) == week),
        active_joined_later=len(engaged - counted),
    )


def _week_end(week: str, zone: ZoneInfo) -> datetime:
    """The next Monday's local midnight after `week`, in UTC."""
    year, number = (int(part) for part in week.split("-W"))
    monday = datetime.fromisocalendar(year, number, 1) + timedelta(days=7)
    return monday.replace(tzinfo=zone).astimezone(UTC)
