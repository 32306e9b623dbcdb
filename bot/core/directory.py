"""Members and channels by their platform ids: upserted on sight, cached in memory."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.core.events import ChannelRef, MemberRef
from bot.store.models import Channel, Member


class Directory:
    """Maps platform members and channels to database rows; safe to share between threads."""

    def __init__(self) -> None:
        self._members: dict[tuple[str, str], int] = {}
        self._channels: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def member_id(self, session: Session, ref: MemberRef, seen_at: datetime | None = None) -> int:
        """The row id of `ref`, creating the member on first sight."""
        return self._row_id(
            session,
            self._members,
            (ref.platform, ref.user_id),
            lambda: self.find_member(session, ref.platform, ref.user_id),
            lambda: Member(
                platform=ref.platform,
                platform_user_id=ref.user_id,
                name=ref.name,
                is_bot=ref.is_bot,
                roles=",".join(ref.roles),
                first_seen_at=seen_at,
                last_seen_at=seen_at,
            ),
        )

    def known_member_id(self, session: Session, ref: MemberRef) -> int | None:
        """The row id of `ref` if Steward knows the member; never creates one.

        Being replied to or reacted to is not a member's own act: it must not bring back a
        member who asked to be forgotten.
        """
        key = (ref.platform, ref.user_id)
        with self._lock:
            cached = self._members.get(key)
        if cached is not None:
            return cached
        member = self.find_member(session, ref.platform, ref.user_id)
        if member is None:
            return None
        with self._lock:
            self._members[key] = member.id
        return member.id

    def channel_id(self, session: Session, ref: ChannelRef) -> int:
        """The row id of `ref`, creating the channel on first sight."""
        return self._row_id(
            session,
            self._channels,
            (ref.platform, ref.channel_id),
            lambda: session.exec(
                select(Channel).where(
                    Channel.platform == ref.platform, Channel.platform_channel_id == ref.channel_id
                )
            ).first(),
            lambda: Channel(
                platform=ref.platform,
                platform_channel_id=ref.channel_id,
                name=ref.name,
                is_admin=ref.is_admin,
            ),
        )

    def _row_id(self, session: Session, cache: dict, key: tuple[str, str], find, make) -> int:
        """Cached id, else the stored row's id, else a new row's (another process may race us)."""
        with self._lock:
            cached = cache.get(key)
        if cached is not None:
            return cached
        row = find()
        if row is None:
            row = _insert_or_find(session, make(), find)
        with self._lock:
            cache[key] = row.id
        return row.id

    @staticmethod
    def find_member(session: Session, platform: str, user_id: str) -> Member | None:
        return session.exec(
            select(Member).where(Member.platform == platform, Member.platform_user_id == user_id)
        ).first()

    def forget_cached(self) -> None:
        """Drop every cached id (after a failed transaction may have rolled rows back)."""
        with self._lock:
            self._members.clear()
            self._channels.clear()

    def forget_member(self, platform: str, user_id: str) -> None:
        """Drop a cached id (after the member's row was erased)."""
        with self._lock:
            self._members.pop((platform, user_id), None)


def _insert_or_find(session: Session, row, find):
    """Insert `row` in a savepoint; if another process inserted it first, return theirs."""
    try:
        with session.begin_nested():
            session.add(row)
        return row
    except IntegrityError:
        return find()
