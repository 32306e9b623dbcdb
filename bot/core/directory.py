"""Members and channels by their platform ids: created on sight in bulk, cached in memory."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table

from bot.core.events import ChannelRef, MemberRef
from bot.store.models import Channel, Member
from bot.store.raw_sql import connection_of, execute_many, fetch, marks
from bot.store.upserts import insert_ignoring_conflicts, insert_new_rows

Key = tuple[str, str]  # (platform, platform id)
_MEMBERS: Table = Member.__table__  # type: ignore[assignment]
_CHANNELS: Table = Channel.__table__  # type: ignore[assignment]
_PER_QUERY = 5000  # platform ids in one IN (…)
WARM_MEMBERS = 100_000  # members whose ids are loaded at start, the most recently seen first


@dataclass
class _Cache:
    """Row ids and names by platform id, for one table."""

    table: Table
    id_column: str
    ids: dict[Key, int] = field(default_factory=dict)
    names: dict[Key, str] = field(default_factory=dict)

    def remember(self, rows: Iterable[tuple[int, str, str, str]]) -> dict[Key, int]:
        """Keep (row id, platform, platform id, name) rows; their ids by key."""
        found = {}
        for row_id, platform, platform_id, name in rows:
            key = (platform, platform_id)
            found[key] = self.ids[key] = row_id
            self.names[key] = name
        return found

    def drop(self, keys: Iterable[Key]) -> None:
        for key in keys:
            self.ids.pop(key, None)
            self.names.pop(key, None)


class Directory:
    """Maps platform members and channels to database rows; safe to share between threads.

    The `conn` each method takes is a SQLAlchemy Session or Connection inside a transaction.
    Another process may erase a row (a member forgotten there) or rename one: `forget` drops
    the ids a failed write used, so they are looked up again; a name an event shows that
    differs from the one cached is written (a comparison in memory, an UPDATE on change).
    """

    def __init__(self) -> None:
        self._members = _Cache(_MEMBERS, "platform_user_id")
        self._channels = _Cache(_CHANNELS, "platform_channel_id")
        self._lock = threading.Lock()

    def warm(self, conn, members: int = WARM_MEMBERS) -> None:
        """Load every channel's id and the ids of the `members` most recently seen ones.

        A community's first events after a start then need no lookup, as a bot that keeps
        its members in memory would; members beyond `members` are looked up on sight.
        """
        channels = fetch(conn, "SELECT id, platform, platform_channel_id, name FROM channel")
        recent = fetch(
            conn,
            "SELECT id, platform, platform_user_id, name FROM member "
            "ORDER BY last_seen_at IS NULL, last_seen_at DESC LIMIT ?",
            [members],
        )
        with self._lock:
            self._channels.remember(channels)
            self._members.remember(recent)

    def member_id(self, conn, ref: MemberRef, seen_at: datetime | None = None) -> int:
        """The row id of `ref`, creating the member on first sight."""
        key = (ref.platform, ref.user_id)
        return self.member_ids(conn, {key: (ref, seen_at)})[key]

    def member_ids(
        self,
        conn,
        refs: Mapping[Key, tuple[MemberRef, datetime | None]],
        created: set[Key] | None = None,
    ) -> dict[Key, int]:
        """Row ids of these members: cached, else stored, else created (in one statement).

        A new member's first and last seen times are the time given with it; the keys of the
        members created here are added to `created`. A known member's new name is stored.
        """
        ids, missing = self._cached(self._members, refs)
        if missing:
            ids.update(self._select(conn, self._members, missing))
            missing = [key for key in missing if key not in ids]
        self._rename(conn, self._members, {key: refs[key][0].name for key in ids})
        if not missing:
            return ids
        rows = [_member_row(*refs[key]) for key in missing]
        inserted = insert_new_rows(conn, _MEMBERS, rows, "id", "platform", "platform_user_id")
        with self._lock:
            made = self._members.remember(
                (row_id, p, u, refs[(p, u)][0].name) for row_id, p, u in inserted
            )
        ids.update(made)
        if created is not None:
            created.update(made)
        others = [key for key in missing if key not in made]  # another process came first
        if others:
            ids.update(self._select(conn, self._members, others))
        return ids

    def known_member_id(self, conn, ref: MemberRef) -> int | None:
        """The row id of `ref` if Steward knows the member; never creates one.

        Being replied to or reacted to is not a member's own act: it must not bring back a
        member who asked to be forgotten.
        """
        key = (ref.platform, ref.user_id)
        return self.known_member_ids(conn, [key]).get(key)

    def known_member_ids(self, conn, keys: Iterable[Key]) -> dict[Key, int]:
        """Row ids of the members Steward knows among `keys` (one query for the uncached)."""
        ids, missing = self._cached(self._members, dict.fromkeys(keys))
        if missing:
            ids.update(self._select(conn, self._members, missing))
        return ids

    def channel_id(self, conn, ref: ChannelRef) -> int:
        """The row id of `ref`, creating the channel on first sight."""
        key = (ref.platform, ref.channel_id)
        return self.channel_ids(conn, {key: ref})[key]

    def channel_ids(self, conn, refs: Mapping[Key, ChannelRef]) -> dict[Key, int]:
        """Row ids of these channels; those never seen are created in one statement.

        A ref with an empty name (a thread's parent, known by id only) never renames one.
        """
        ids, missing = self._cached(self._channels, refs)
        if missing:
            rows = [_channel_row(refs[key]) for key in missing]
            conn.execute(insert_ignoring_conflicts(_CHANNELS, _dialect(conn)), rows)
            ids.update(self._select(conn, self._channels, missing))
        self._rename(conn, self._channels, {key: refs[key].name for key in ids})
        return ids

    def forget(self, members: Iterable[Key] = (), channels: Iterable[Key] = ()) -> None:
        """Drop these cached ids (a write using them failed: erased or rolled back, maybe)."""
        with self._lock:
            self._members.drop(members)
            self._channels.drop(channels)

    def forget_member(self, platform: str, user_id: str) -> None:
        """Drop a cached id (after the member's row was erased)."""
        self.forget(members=[(platform, user_id)])

    def _cached(self, cache: _Cache, keys: Iterable[Key]) -> tuple[dict[Key, int], list]:
        """The cached ids among `keys`, and the keys that are not cached."""
        ids: dict[Key, int] = {}
        missing = []
        with self._lock:
            for key in keys:
                found = cache.ids.get(key)
                if found is None:
                    missing.append(key)
                else:
                    ids[key] = found
        return ids, missing

    def _rename(self, conn, cache: _Cache, names: dict[Key, str]) -> None:
        """Store the names that differ from those known (an empty name is no name)."""
        with self._lock:
            changed = {k: n for k, n in names.items() if n and cache.names.get(k) != n}
            rows = [(name, cache.ids[key]) for key, name in changed.items() if key in cache.ids]
        if not rows:
            return
        execute_many(conn, f"UPDATE {cache.table.name} SET name = ? WHERE id = ?", rows)
        with self._lock:
            cache.names.update(changed)

    def _select(self, conn, cache: _Cache, keys: list[Key]) -> dict[Key, int]:
        """Stored ids of `keys` (a query per platform), remembered in `cache`."""
        found: list[tuple[int, str, str, str]] = []
        by_platform: dict[str, list[str]] = {}
        for platform, platform_id in keys:
            by_platform.setdefault(platform, []).append(platform_id)
        for platform, platform_ids in by_platform.items():
            for start in range(0, len(platform_ids), _PER_QUERY):
                chunk = platform_ids[start : start + _PER_QUERY]
                sql = (
                    f"SELECT id, platform, {cache.id_column}, name FROM {cache.table.name} "
                    f"WHERE platform = ? AND {cache.id_column} IN ({marks(len(chunk))})"
                )
                found.extend(fetch(conn, sql, [platform, *chunk]))
        with self._lock:
            return cache.remember(found)


def _dialect(conn) -> str:
    return connection_of(conn).dialect.name


def _member_row(ref: MemberRef, seen_at: datetime | None) -> dict:
    return {
        "platform": ref.platform,
        "platform_user_id": ref.user_id,
        "name": ref.name,
        "is_bot": ref.is_bot,
        "roles": ",".join(ref.roles),
        "joined_at": ref.joined_at,
        "left_at": None,
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
    }


def _channel_row(ref: ChannelRef) -> dict:
    return {
        "platform": ref.platform,
        "platform_channel_id": ref.channel_id,
        "name": ref.name,
        "is_admin": ref.is_admin,
    }
