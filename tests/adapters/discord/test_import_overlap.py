"""An import that overlaps what the bot recorded live: half of a DiscordChatExporter file
imported, some of the same messages then seen live by the discord.py adapter on the fake
Discord, the whole file imported: each message is recorded exactly once."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.bootstrap import build_app, open_export
from bot.cli.options import load_cli_settings, open_store
from bot.core.app import Steward
from bot.core.clock import SystemClock
from bot.core.events import EventKind, InboundEvent
from bot.core.history_import import HistoryImport
from bot.core.import_summary import ImportSummary
from bot.core.log_pending import Then
from tests.adapters.discord.harness import MANAGER_ROLE, Guild, steward
from tests.fakes.discord_server import FakeDiscord, wait_for
from tests.fakes.discord_state import DISCORD_EPOCH, iso, snowflake_time

MESSAGES = 40
HALF = MESSAGES // 2
AUTHORS = ("alice", "bob", "carol", "dave")
LIVE_AGAIN = [3, 4, 9, 14]  # of the first half: imported already
LIVE_NEW = [20, 24, 25, 31, 39]  # of the second half: new when seen live


def is_reply(n: int) -> bool:
    """Every fifth message answers the one before it."""
    return n % 5 == 4


def snowflake(at: datetime, n: int) -> str:
    return str(((int(at.timestamp() * 1000) - DISCORD_EPOCH) << 22) + n)


def message_ids() -> list[str]:
    """Ids of messages posted a minute apart, yesterday: their times are their ids'."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=1)
    return [snowflake(start + timedelta(minutes=n), n) for n in range(MESSAGES)]


def dce_author(guild: Guild, name: str) -> dict[str, Any]:
    roles = []
    if name == "alice":
        roles = [{"id": guild.manager_role, "name": MANAGER_ROLE, "color": None, "position": 1}]
    user_id = guild.member(name)
    return {
        "id": user_id,
        "name": name,
        "discriminator": "0000",
        "nickname": name,
        "color": None,
        "isBot": False,
        "roles": roles,
        "avatarUrl": f"https://cdn.discordapp.com/avatars/{user_id}/f00d.png?size=512",
    }


def dce_message(guild: Guild, ids: list[str], n: int) -> dict[str, Any]:
    """Message `n` as DiscordChatExporter writes it (--format Json)."""
    message: dict[str, Any] = {
        "id": ids[n],
        "type": "Reply" if is_reply(n) else "Default",
        "timestamp": snowflake_time(ids[n]).isoformat(),
        "timestampEdited": None,
        "callEndedTimestamp": None,
        "isPinned": False,
        "content": text_of(n),
        "author": dce_author(guild, AUTHORS[n % len(AUTHORS)]),
        "attachments": [],
        "embeds": [],
        "stickers": [],
        "reactions": [],
        "mentions": [],
    }
    if is_reply(n):
        message["reference"] = {
            "type": "Default",
            "messageId": ids[n - 1],
            "channelId": guild.channel("general"),
            "guildId": guild.fake.guild_id,
        }
    message["inlineEmojis"] = []
    return message


def text_of(n: int) -> str:
    return f"message {n}"


def write_export(path: Path, guild: Guild, ids: list[str], count: int) -> Path:
    """A DCE file of #general holding its first `count` messages."""
    fake = guild.fake
    messages = [dce_message(guild, ids, n) for n in range(count)]
    export = {
        "guild": {"id": fake.guild_id, "name": fake.guild_name, "iconUrl": ""},
        "channel": {
            "id": guild.channel("general"),
            "type": "GuildTextChat",
            "categoryId": None,
            "category": None,
            "name": "general",
            "topic": None,
        },
        "dateRange": {"after": None, "before": None},
        "exportedAt": iso(),
        "messages": messages,
        "messageCount": len(messages),
    }
    path.write_text(json.dumps(export, ensure_ascii=False, indent=2))
    return path


async def imported(config: Path, path: Path) -> ImportSummary:
    """`steward import discord path`, as the command runs it."""
    settings = load_cli_settings(config, None)
    export = open_export("discord", [path], settings)
    app = build_app(settings, SystemClock(), open_store(settings))
    await app.start()
    try:
        return await HistoryImport(app, export).run()
    finally:
        await app.stop()
        app.store.close()


async def say_live(fake: FakeDiscord, guild: Guild, ids: list[str], n: int) -> None:
    """Message `n` posted on Discord now: the gateway sends its MESSAGE_CREATE."""
    general = guild.channel("general")
    author = guild.member(AUTHORS[n % len(AUTHORS)])
    reply_to = ids[n - 1] if is_reply(n) else None
    message = fake.build_message(general, author, text_of(n), reply_to=reply_to)
    message.update(id=ids[n], timestamp=snowflake_time(ids[n]).isoformat())
    fake.store_message(message)
    await fake.dispatch("MESSAGE_CREATE", message)


def verdicts(seen: dict[str, bool]) -> Callable[[Steward], None]:
    """A `prepare` keeping, for each event the core records live, whether it was new."""

    def prepare(app: Steward) -> None:
        submit = app.interactions.submit

        def noted(event: InboundEvent, then: Then) -> asyncio.Future[None] | None:
            def told(event: InboundEvent, new: bool | Exception) -> None:
                seen[event.event_id] = new  # type: ignore[assignment]
                then(event, new)

            return submit(event, told)

        app.interactions.submit = noted  # type: ignore[method-assign]

    return prepare


def recorded(db: Path) -> list[tuple[str, str, str]]:
    """The posts in the interaction log: event id, message id, kind."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT platform_event_id, message_id, kind FROM interaction "
            "WHERE kind IN ('message', 'reply') ORDER BY 1, 2"
        ).fetchall()


async def test_half_imported_some_seen_live_then_all_imported_records_each_message_once(
    guild: Guild, config: Path, tmp_path: Path
) -> None:
    fake, db, ids = guild.fake, tmp_path / "steward.db", message_ids()
    half = write_export(tmp_path / "general-half.json", guild, ids, HALF)
    whole = write_export(tmp_path / "general.json", guild, ids, MESSAGES)

    first = await imported(config, half)
    assert (first.events, first.repeats) == (HALF, 0)

    live = LIVE_AGAIN + LIVE_NEW
    seen: dict[str, bool] = {}
    async with steward(config, verdicts(seen)):
        for n in live:
            await say_live(fake, guild, ids, n)
        await wait_for(lambda: all(ids[n] in seen for n in live))
    assert seen == {ids[n]: n >= HALF for n in live}
    assert len(recorded(db)) == HALF + len(LIVE_NEW)

    second = await imported(config, whole)
    assert second.repeats == HALF + len(LIVE_NEW)
    left = [n for n in range(HALF, MESSAGES) if n not in LIVE_NEW]
    expected = Counter(EventKind.REPLY if is_reply(n) else EventKind.MESSAGE for n in left)
    assert second.new == expected
    kinds = ["reply" if is_reply(n) else "message" for n in range(MESSAGES)]
    assert recorded(db) == sorted((ids[n], ids[n], kinds[n]) for n in range(MESSAGES))
