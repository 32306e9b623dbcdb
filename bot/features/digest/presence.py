"""Who the digest counts, and whether they engaged in a stretch of time: SQL conditions on a
member row, shared by the members, activity and contributor figures.

Counted at an instant `end` ("here at the week's end"): not a bot, joined before `end` (the
platform's join date, else when Steward first saw them; a member with neither counts), and not
gone by then (no leave before `end` that is later than their last join).

An interaction that engages is a row of the member's own of an ENGAGING kind (member_stats'
definition), not a reaction taken back, and not in a managers' channel. Whether a member has
one is an index probe (`ix_interaction_member_time`: member, time, kind, taken back) that reads
the table only for the channel of a row it finds.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
)

from bot.core.events import EventKind
from bot.features.member_stats import ENGAGING
from bot.store.models import Channel, Interaction, Member

POSTED = (EventKind.MESSAGE.value, EventKind.REPLY.value)  # a communicator's kinds


def kinds(values: Iterable[str]) -> list:
    """Kinds as SQL literals: one statement text whatever the values, its plan kept."""
    return [literal_column(f"'{value}'") for value in values]


def joined_before(name: str) -> ColumnElement[bool]:
    """The member joined before the parameter `name` (a member with no date did, long ago)."""
    joined = func.coalesce(Member.joined_at, Member.first_seen_at)
    return or_(joined.is_(None), joined < bindparam(name))


def here_at(name: str = "end") -> ColumnElement[bool]:
    """The member is counted at the instant in the parameter `name`."""
    end = bindparam(name)
    not_gone = or_(
        Member.left_at.is_(None),
        Member.left_at >= end,
        and_(Member.joined_at.is_not(None), Member.left_at < Member.joined_at),
    )
    return and_(not_(Member.is_bot), joined_before(name), not_gone)


def outside_managers_channels() -> ColumnElement[bool]:
    """The interaction is not in a managers' channel (one in no channel is not)."""
    managers = select(Channel.id).where(Channel.is_admin)
    return or_(Interaction.channel_id.is_(None), Interaction.channel_id.not_in(managers))


def engaged(
    since: str, until: str, of: Iterable[str] = ENGAGING, anywhere: bool = False
) -> ColumnElement[bool]:
    """The member has an interaction of the kinds `of` from the parameter `since` up to (not
    including) `until`; `anywhere`: in a managers' channel too (an index probe alone, for a
    caller who knows there was none there)."""
    log = Interaction
    conditions = [
        log.member_id == Member.id,
        log.created_at >= bindparam(since),
        log.created_at < bindparam(until),
        log.kind.in_(kinds(of)),
        log.removed_at.is_(None),
    ]
    if not anywhere:
        conditions.append(outside_managers_channels())
    return exists().where(*conditions)
