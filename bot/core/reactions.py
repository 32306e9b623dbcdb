"""Reactions as members see them: one per member, emoji and message until it is taken back.

A reaction a member already has on a message is not recorded again; taking it back marks
the reaction's row `removed_at`, so counts leave it out.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Table, bindparam, update

from bot.core.events import EventKind
from bot.core.interaction_tally import Key as TallyKey
from bot.core.interaction_tally import key_of
from bot.store.models import Interaction
from bot.store.raw_sql import fetch, marks

Key = tuple[str, str]  # (platform, platform event id)
Reaction = tuple[str, int, str, int, str]  # platform, channel row, message, member row, emoji
_LOG: Table = Interaction.__table__  # type: ignore[assignment]
_ADDED, _REMOVED = EventKind.REACTION_ADDED.value, EventKind.REACTION_REMOVED.value
_CANCEL = update(_LOG).where(_LOG.c.id == bindparam("row")).values(removed_at=bindparam("at"))


def settle_reactions(conn, rows: dict[Key, dict]) -> list[dict]:
    """Decide the batch's reactions in order (`rows` by event, in the batch's order); return
    the stored rows that were taken back.

    A repeated reaction's row is dropped from `rows` (it is not recorded); a reaction added
    and taken back within the batch is written already marked `removed_at`.
    """
    keys = [key for key, row in rows.items() if row["kind"] in (_ADDED, _REMOVED)]
    if not keys:
        return []
    active = _active(conn, [rows[key] for key in keys])
    cancels = []
    for key in keys:
        row = rows[key]
        reaction = _reaction(row)
        if row["kind"] == _ADDED:
            if reaction in active:
                del rows[key]
            else:
                active[reaction] = row
            continue
        earlier = active.pop(reaction, None)
        if isinstance(earlier, dict):
            earlier["removed_at"] = row["created_at"]
        elif earlier is not None:
            row_id, tally = earlier
            cancels.append({"row": row_id, "at": row["created_at"], "by": key, "tally": tally})
    return cancels


def cancel_reactions(conn, cancels: list[dict], inserted: set[Key]) -> Counter[TallyKey]:
    """Mark stored reactions as taken back (one statement), by the removals that were new;
    return where the interaction tally counted them (to be taken off)."""
    done = [c for c in cancels if c["by"] in inserted]
    if done:
        conn.execute(_CANCEL, [{"row": c["row"], "at": c["at"]} for c in done])
    return Counter(c["tally"] for c in done)


def _reaction(row: dict) -> Reaction:
    return (row["platform"], row["channel_id"], row["message_id"], row["member_id"], row["detail"])


_ACTIVE = (
    "SELECT id, channel_id, message_id, member_id, detail, created_at FROM interaction "
    "WHERE platform = ? AND kind = 'reaction_added' AND removed_at IS NULL "
    "AND message_id IN ({})"  # the reactions index: only rows of that kind
)


def _active(conn, rows: list[dict]) -> dict[Reaction, dict | tuple[int, TallyKey]]:
    """The stored reactions still in place on the messages these rows are about: their row
    id and where the interaction tally counts them."""
    messages: dict[str, set[str]] = {}
    for row in rows:
        messages.setdefault(row["platform"], set()).add(row["message_id"])
    active: dict[Reaction, dict | tuple[int, TallyKey]] = {}
    for platform, message_ids in messages.items():
        found = fetch(conn, _ACTIVE.format(marks(len(message_ids))), [platform, *message_ids])
        for row_id, channel, message, member, emoji, at in found:
            tally = key_of(at, channel, _ADDED, emoji)
            active[(platform, channel, message, member, emoji)] = (row_id, tally)
    return active
