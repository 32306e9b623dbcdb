"""Members and channels by their platform ids: created on sight in bulk, cached in memory."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import Table

from bot.core.events import ChannelRef, MemberRef
from bot.store.models import Channel, Member
from bot.store.raw_sql import connection_of, fetch, marks
from bot.store.upserts import insert_ignoring_conflicts, insert_new_rows

Key = tuple[str, str]  # (platform, platform id)
_MEMBERS: Table = Member.__table__  # type: ignore[assignment]
_CHANNELS: Table = Channel.__table__  # type: ignore[assignment]
_PER_QUERY = 5000  # platform ids in one IN (…)
WARM_MEMBERS = 100_000  # members whose ids are loaded at start, the most recently seen first


class Directory:
    """Maps platform members and channels to database rows; safe to share between threads.

    The `conn` each method takes is a SQLAlchemy Session or Connection inside a transaction.
    """

    def __init__(self) -> None:
        self._members: dict[Key, int] = {}
        self._channels: dict[Key, int] = {}
        self._lock = threading.Lock()

    def warm(self, conn, members: int = WARM_MEMBERS) -> None:
        """Load every channel's id and the ids of the `members` most recently seen ones.

        A community's first events after a start then need no lookup, as a bot that keeps
        its members in memory would; members beyond `members` are looked up on sight.
        """
        channels = fetch(conn, "SELECT id, platform, platform_channel_id FROM channel")
        recent = fetch(
            conn,
            "SELECT id, platform, platform_user_id FROM member "
            "ORDER BY last_seen_at IS NULL, last_seen_at DESC LIMIT ?",
            [members],
        )
        with self._lock:
            self._channels.update({(p, c): row_id for row_id, p, c in channels})
            self._members.update({(p, u): row_id for row_id, p, u in recent})

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
        members created here are added to `created`.
        """
        ids, missing = self._cached(self._members, refs)
        if missing:
            ids.update(self._select(conn, self._members, _MEMBERS, "platform_user_id", missing))
            missing = [key for key in missing if key not in ids]
        if not missing:
            return ids
        rows = [_member_row(*refs[key]) for key in missing]
        inserted = insert_new_rows(conn, _MEMBERS, rows, "id", "platform", "platform_user_id")
        made = {(platform, user): row_id for row_id, platform, user in inserted}
        with self._lock:
            self._members.update(made)
        ids.update(made)
        if created is not None:
            created.update(made)
        others = [key for key in missing if key not in made]  # another process came first
        if others:
            ids.update(self._select(conn, self._members, _MEMBERS, "platform_user_id", others))
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
            ids.update(self._select(conn, self._members, _MEMBERS, "platform_user_id", missing))
        return ids

    def channel_id(self, conn, ref: ChannelRef) -> int:
        """The row id of `ref`, creating the channel on first sight."""
        key = (ref.platform, ref.channel_id)
        return self.channel_ids(conn, {key: ref})[key]

    def channel_ids(self, conn, refs: Mapping[Key, ChannelRef]) -> dict[Key, int]:
        """Row ids of these channels; those never seen are created in one statement."""
        ids, missing = self._cached(self._channels, refs)
        if missing:
            rows = [_channel_row(refs[key]) for key in missing]
            conn.execute(insert_ignoring_conflicts(_CHANNELS, _dialect(conn)), rows)
            ids.update(
                self._select(conn, self._channels, _CHANNELS, "platform_channel_id", missing)
            )
        return ids

    def _cached(self, cache: dict[Key, int], keys: Iterable[Key]) -> tuple[dict[Key, int], list]:
        """The cached ids among `keys`, and the keys that are not cached."""
        ids: dict[Key, int] = {}
        missing = []
        with self._lock:
            for key in keys:
                found = cache.get(key)
                if found is None:
                    missing.append(key)
                else:
                    ids[key] = found
        return ids, missing

    def _select(
        self, conn, cache: dict[Key, int], table: Table, id_column: str, keys: list[Key]
    ) -> dict[Key, int]:
        """Stored ids of `keys` (a query per platform), remembered in `cache`."""
        found: dict[Key, int] = {}
        by_platform: dict[str, list[str]] = {}
        for platform, platform_id in keys:
            by_platform.setdefault(platform, []).append(platform_id)
        for platform, platform_ids in by_platform.items():
            for start in range(0, len(platform_ids), _PER_QUERY):
                chunk = platform_ids[start : start + _PER_QUERY]
                sql = (
                    f"SELECT id, {id_column} FROM {table.name} "
                    f"WHERE platform = ? AND {id_column} IN ({marks(len(chunk))})"
                )
                rows = fetch(conn, sql, [platform, *chunk])
                found.update({(platform, pid): row_id for row_id, pid in rows})
        with self._lock:
            cache.update(found)
        return found

    def forget_cached(self) -> None:
        """Drop every cached id (after a failed transaction may have rolled rows back)."""
        with self._lock:
            self._members.clear()
            self._channels.clear()

    def forget_member(self, platform: str, user_id: str) -> None:
        """Drop a cached id (after the member's row was erased)."""
        with self._lock:
            self._members.pop((platform, user_id), None)


def _dialect(conn) -> str:
    return connection_of(conn).dialect.name


def _member_row(ref: MemberRef, seen_at: datetime | None) -> dict:
    return {
        "platform": ref.platform,
        "platform_user_id": ref.user_id,
        "name": ref.name,
        "is_bot": ref.is_bot,
        "roles": ",".join(ref.roles),
        "joined_at": None,
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
