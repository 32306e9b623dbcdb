"""What each feature keeps about a member, to export it or erase it on request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlmodel import Session, SQLModel, delete, select, update

from bot.core.interaction_tally import take_off_member
from bot.store.models import Channel, Interaction, Member

Exporter = Callable[[Session, int], dict]
Eraser = Callable[[Session, int], None]
AfterForget = Callable[[], Awaitable[None]]


@dataclass
class PrivacyRegistry:
    """Features register how to export and erase their data about one member."""

    exporters: dict[str, Exporter] = field(default_factory=dict)
    erasers: dict[str, Eraser] = field(default_factory=dict)
    after_forget: list[AfterForget] = field(default_factory=list)

    def add(
        self, name: str, export: Exporter, forget: Eraser, after: AfterForget | None = None
    ) -> None:
        """Register a feature's exporter and eraser; `after` runs once the erasure committed
        (to refresh live messages whose counts changed, say)."""
        self.exporters[name] = export
        self.erasers[name] = forget
        if after is not None:
            self.after_forget.append(after)

    def export(self, session: Session, member_id: int) -> dict:
        """Everything Steward holds about the member, as JSON-ready data."""
        member = session.get(Member, member_id)
        data: dict = {
            "member": _member_data(member),
            "interactions": _interactions(session, member_id),
        }
        for name, export in sorted(self.exporters.items()):
            data[name] = export(session, member_id)
        return data

    def forget(self, session: Session, member_id: int) -> None:
        """Erase the member: feature data, their interactions, and their member row."""
        for forget in self.erasers.values():
            forget(session, member_id)
        take_off_member(session, member_id)
        session.execute(delete(Interaction).where(Interaction.member_id == member_id))
        _unlink_everywhere(session, member_id)
        session.execute(delete(Member).where(Member.id == member_id))


def _unlink_everywhere(session: Session, member_id: int) -> None:
    """Whatever still points at the member: nullable links are cleared, other rows deleted."""
    member_id_column = Member.__table__.c.id
    for table in reversed(SQLModel.metadata.sorted_tables):
        for fk in table.foreign_keys:
            if fk.column is not member_id_column:
                continue
            column = fk.parent
            if column.nullable:
                session.execute(
                    update(table).where(column == member_id).values({column.name: None})
                )
            else:
                session.execute(delete(table).where(column == member_id))


def _member_data(member: Member | None) -> dict:
    if member is None:
        return {}
    return {
        "platform": member.platform,
        "user_id": member.platform_user_id,
        "name": member.name,
        "roles": [role for role in member.roles.split(",") if role],
        "joined_at": _iso(member.joined_at),
        "left_at": _iso(member.left_at),
        "first_seen_at": _iso(member.first_seen_at),
        "last_seen_at": _iso(member.last_seen_at),
    }


def _interactions(session: Session, member_id: int) -> list[dict]:
    rows = session.exec(
        select(Interaction, Channel)
        .join(Channel, Channel.id == Interaction.channel_id, isouter=True)
        .where(Interaction.member_id == member_id)
        .order_by(Interaction.id)
    )
    return [
        {
            "kind": row.kind,
            "at": _iso(row.created_at),
            "channel": channel.name if channel is not None else None,
            "message_id": row.message_id,
            "in_reply_to": row.parent_message_id,
            "detail": row.detail,
            "text": row.text,
        }
        for row, channel in rows
    ]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
