"""What the benchmarks share: a migrated template database, a community in it, an adapter sink."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path

from bot.bootstrap import build_app
from bot.core.app import Steward
from bot.core.capabilities import Capabilities
from bot.core.clock import VirtualClock
from bot.core.envelope import Destination
from bot.core.events import ChannelRef, CommandInvoked, MemberRef
from bot.core.interaction_tally import refill
from bot.core.messages import Message, SentMessage
from bot.store.database import MIGRATIONS, Store, make_engine
from tests.conftest import START, make_settings

PLATFORM = "discord"
CONTENT_TYPES = ("article", "video", "event", "announcement", "discussion")


def sqlite_time(when: datetime) -> str:
    """A UTC time as SQLAlchemy stores it in SQLite."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def schema_key() -> str:
    """A digest of every migration file: a new or edited migration means a new schema."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.rglob("*.py")):
        digest.update(path.relative_to(MIGRATIONS).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def template(cache: Path) -> Path:
    """The empty database at the newest schema in `cache` (migrated once per schema)."""
    path = cache / f"empty-{schema_key()}.db"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        building = path.with_suffix(".building")
        Store.open(f"sqlite:///{building}").close()
        checkpoint(building)
        building.replace(path)
    return path


def migrated_copy(cache: Path, target: Path) -> Path:
    """A copy at `target` of an empty database at the newest schema."""
    shutil.copy(template(cache), target)
    return target


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file, so copying the file copies everything."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def bulk_insert_interactions(db: sqlite3.Connection, columns: str, rows: Iterable[tuple]) -> None:
    """Insert `rows` (values of `columns`, comma-separated) into the interaction table fast:
    its indexes dropped, the rows in transactions of 100,000, the indexes made again."""
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interaction'"
        " AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    marks = ", ".join("?" * len(columns.split(",")))
    insert = f"INSERT INTO interaction ({columns}) VALUES ({marks})"
    rows = iter(rows)
    while chunk := list(islice(rows, 100_000)):
        db.execute("BEGIN")
        db.executemany(insert, chunk)
        db.execute("COMMIT")
    for _, sql in indexes:
        db.execute(sql)


def count_into_tally(path: Path) -> None:
    """The interaction tally of the rows inserted around the log's writers (raw inserts)."""
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        refill(conn)
    engine.dispose()


def connect_raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the pragmas the app's engine uses."""
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        db.execute(f"PRAGMA {pragma}")
    return db


@dataclass(frozen=True)
class People:
    """The community's members and channels (row id n + 1 is member or channel n)."""

    members: list[MemberRef]
    channels: list[ChannelRef]


def people(members: int, channels: int) -> People:
    return People(
        [MemberRef(PLATFORM, f"u{n}", f"member{n}") for n in range(members)],
        [ChannelRef(PLATFORM, f"c{n}", f"channel-{n}") for n in range(channels)],
    )


def people_inserts(who: People, extra: list[MemberRef], seen: object) -> list[tuple[str, list]]:
    """The statements (`?` marks) and rows of the members (then `extra`) and channels, in
    order, as an existing community; `seen`: their first and last seen times, as the
    database's driver takes them."""
    members = [(m.platform, m.user_id, m.name, False, seen, seen) for m in [*who.members, *extra]]
    channels = [(c.platform, c.channel_id, c.name, False) for c in who.channels]
    return [
        (
            "INSERT INTO member (platform, platform_user_id, name, is_bot, roles, first_seen_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, '', ?, ?)",
            members,
        ),
        (
            "INSERT INTO channel (platform, platform_channel_id, name, is_admin)"
            " VALUES (?, ?, ?, ?)",
            channels,
        ),
    ]


def bot_posts_insert(who: People, count: int, at: object) -> tuple[str, list]:
    """The statement (`?` marks) and rows of `count` calendar posts the bot made at `at`,
    each with a content type (message ids `bot0`, `bot1`, …)."""
    rows = [
        (
            PLATFORM,
            who.channels[n % len(who.channels)].channel_id,
            f"bot{n}",
            n,
            CONTENT_TYPES[n % len(CONTENT_TYPES)],
            at,
        )
        for n in range(count)
    ]
    sql = (
        "INSERT INTO botmessage (platform, channel_id, platform_message_id, feature, ref_id,"
        " content_type, created_at) VALUES (?, ?, ?, 'calendar', ?, ?, ?)"
    )
    return sql, rows


def store_people(db: sqlite3.Connection, who: People, extra: list[MemberRef] = ()) -> None:
    """Insert the members (then `extra`) and channels, in order, as an existing community."""
    db.execute("BEGIN")
    for sql, rows in people_inserts(who, list(extra), sqlite_time(START)):
        db.executemany(sql, rows)
    db.execute("COMMIT")


def store_bot_posts(db: sqlite3.Connection, who: People, count: int) -> list[str]:
    """Calendar posts the bot made (each with a content type); returns their message ids."""
    sql, rows = bot_posts_insert(who, count, sqlite_time(START))
    db.execute("BEGIN")
    db.executemany(sql, rows)
    db.execute("COMMIT")
    return [row[2] for row in rows]


@dataclass
class Sink:
    """An adapter that keeps what the bot said (the figures measure the core, not a platform)."""

    platform: str = PLATFORM
    admin_channel: str = "managers"
    capabilities: Capabilities = field(default_factory=Capabilities)
    private: list[Message] = field(default_factory=list)
    sent: int = 0

    async def start(self, app) -> None: ...

    async def serve(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, to: Destination, message: Message) -> SentMessage:
        if to.private_to is not None:
            self.private.append(message)
        self.sent += 1
        return SentMessage(self.platform, to.channel_id, f"s{self.sent}")

    async def update(self, sent: SentMessage, message: Message) -> None: ...

    async def find_channel(self, name: str) -> ChannelRef | None:
        return ChannelRef(self.platform, name, name)


async def open_app(
    path: Path, start: datetime = START, sink: Sink | None = None, url: str | None = None
) -> tuple[Steward, Sink]:
    """The whole app (every feature) on the database at `path` (or at `url`, a PostgreSQL one),
    started, with a Sink (or `sink`, one that keeps more)."""
    settings = make_settings(url or f"sqlite:///{path}")
    app = build_app(settings, VirtualClock(start), Store.open(settings.storage.url))
    sink = Sink() if sink is None else sink
    app.add_adapter(sink)
    await app.start()
    return app, sink


async def close_app(app: Steward) -> None:
    await app.stop()
    app.store.close()


async def timed_command(
    app: Steward,
    sink: Sink,
    event_id: str,
    member: MemberRef,
    channel: ChannelRef,
    name: str,
    options: dict | None = None,
) -> tuple[float, Message | None]:
    """Seconds `app.handle` took for the command `name` (at START), and the private answer it
    gave (None: it gave none)."""
    event = CommandInvoked(
        event_id=event_id, member=member, channel=channel, at=START, name=name,
        options=options or {},
    )  # fmt: skip
    before = len(sink.private)
    start = time.perf_counter()
    await app.handle(event)
    elapsed = time.perf_counter() - start
    return elapsed, sink.private[-1] if len(sink.private) > before else None
