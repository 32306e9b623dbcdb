"""The outbox's database steps: enqueue in the caller's transaction, claim, settle, retry.

An item is `pending` (due at `due_at`), `claimed` by one process (rendering it), `sending`
(handed to the platform), then `sent`, `failed` (after the last retry; managers told),
`unconfirmed` (the process died while sending; managers asked to check) or `dropped` (its
renderer had nothing to post any more). A claim older than STALE_CLAIM belongs to a process
that died: `due_at` of a claimed or sending item is when it goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, select

from bot.core.messages import Button, ButtonStyle, Message, Section
from bot.store.models import BotMessage, OutboxItem
from bot.store.upserts import added

PENDING, CLAIMED, SENDING, SENT = "pending", "claimed", "sending", "sent"
FAILED, UNCONFIRMED, DROPPED = "failed", "unconfirmed", "dropped"
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))
STALE_CLAIM = timedelta(minutes=5)
NOTICE = "core:notice"  # the kind of a literal message to the managers' channel


@dataclass(frozen=True)
class Announcement:
    """A post to enqueue: its render recipe (feature, kind, ref id, payload) and destination.

    `channel_id` None: the managers' channel of `platform`. `label` names it for managers
    ("the results of poll 3"); `key`, when given, enqueues it at most once.
    """

    feature: str
    kind: str
    ref_id: int | None
    platform: str
    channel_id: str | None
    role: str = ""
    label: str = ""
    content_type: str | None = None
    payload: dict[str, Any] | None = None
    key: str | None = None


def enqueue(session: Session, announcement: Announcement, now: datetime) -> int | None:
    """Add the post to the outbox in the caller's transaction; its id (None: key taken)."""
    fields = vars(announcement) | {"status": PENDING, "due_at": now}
    row = OutboxItem(**fields, created_at=now, updated_at=now)
    if announcement.key is None:
        session.add(row)
        session.flush()
        return row.id
    return row.id if added(session, row) else None


def enqueue_once(
    session: Session,
    now: datetime,
    *,
    feature: str,
    kind: str,
    ref_id: int,
    platform: str,
    channel_id: str | None,
    role: str,
    label: str,
    payload: dict[str, Any] | None = None,
) -> int | None:
    """Enqueue `feature`'s post of `ref_id` in `role` at most once (keyed "feature:ref:role");
    its id, or None when it was enqueued already."""
    key = f"{feature}:{ref_id}:{role}"
    announcement = Announcement(
        feature, kind, ref_id, platform, channel_id, role, label, payload=payload, key=key
    )
    return enqueue(session, announcement, now)


def notice(
    platform: str, message: Message, *, feature: str = "core", label: str = "", **record: Any
) -> Announcement:
    """A literal message for the managers' channel of `platform` (no image or file)."""
    return Announcement(
        feature=feature,
        kind=NOTICE,
        ref_id=record.get("ref_id"),
        platform=platform,
        channel_id=None,
        role=record.get("role", "notice"),
        label=label or "a notice to the managers",
        content_type=record.get("content_type"),
        payload=message_payload(message),
    )


def notify_managers_later(
    session: Session, platforms: list[str], message: Message, now: datetime, **record: Any
) -> list[int | None]:
    """Enqueue `message` for the managers' channel of each platform, in the caller's
    transaction (then `await app.outbox.send_now(*ids)` after the commit)."""
    return [enqueue(session, notice(platform, message, **record), now) for platform in platforms]


# ---- what is due ----------------------------------------------------------------------
def next_due(session: Session) -> datetime | None:
    return session.exec(select(func.min(OutboxItem.due_at))).one()


def due_items(session: Session, now: datetime) -> list[tuple[int, str]]:
    """(id, status) of every item to look at now, oldest due first."""
    rows = select(OutboxItem.id, OutboxItem.status).where(OutboxItem.due_at <= now)
    return [tuple(r) for r in session.exec(rows.order_by(OutboxItem.due_at, OutboxItem.id))]


# ---- claiming and settling ------------------------------------------------------------
def claim(session: Session, item_id: int, token: str, now: datetime) -> OutboxItem | None:
    """Take a due pending item for this process; None when it is not (or no longer) due."""
    taken = session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == item_id, OutboxItem.status == PENDING, OutboxItem.due_at <= now)
        .values(status=CLAIMED, claim=token, due_at=now + STALE_CLAIM, updated_at=now)
    )
    return session.get(OutboxItem, item_id) if taken.rowcount == 1 else None


def _mine(item_id: int, token: str, status: str):
    return update(OutboxItem).where(
        OutboxItem.id == item_id, OutboxItem.claim == token, OutboxItem.status == status
    )


def mark_sending(session: Session, item_id: int, token: str, now: datetime) -> bool:
    """About to hand it to the platform: from here a crash leaves it unconfirmed."""
    values = {"status": SENDING, "due_at": now + STALE_CLAIM, "updated_at": now}
    return session.execute(_mine(item_id, token, CLAIMED).values(**values)).rowcount == 1


def settle(session: Session, posted: BotMessage, item_id: int, token: str, now: datetime) -> None:
    """Sent: linked to the post remembered in this same transaction; a literal message's
    text is not kept once it is on the platform."""
    values = {"status": SENT, "due_at": None, "bot_message_id": posted.id, "updated_at": now}
    values["payload"] = None
    attempts = OutboxItem.attempts + 1
    session.execute(_mine(item_id, token, SENDING).values(**values, attempts=attempts))


def drop(session: Session, item_id: int, token: str, now: datetime) -> None:
    values = {"status": DROPPED, "due_at": None, "updated_at": now}
    session.execute(_mine(item_id, token, CLAIMED).values(**values))


def fail_attempt(
    session: Session, item_id: int, token: str, reason: str, now: datetime
) -> OutboxItem | None:
    """Count a failed try: due again after the backoff, or failed after the last one.

    Returns the item when it has failed for good (the caller tells the managers).
    """
    row = session.get(OutboxItem, item_id)
    if row is None or row.claim != token or row.status not in (CLAIMED, SENDING):
        return None
    row.attempts += 1
    row.error, row.updated_at, row.claim = reason[:500], now, None
    if row.attempts <= len(BACKOFF):
        row.status, row.due_at = PENDING, now + BACKOFF[row.attempts - 1]
        return None
    row.status, row.due_at = FAILED, None
    return row


def settle_stale(session: Session, item_id: int, now: datetime) -> OutboxItem | None:
    """A claim whose process died. Died before sending: pending again. Died while sending: a
    literal notice to the managers is sent again (a doubled notice harms nobody, a lost one
    does); any other post (an SLA alert in the managers' channel too) is `unconfirmed`, never
    posted twice, and returned so the managers are asked to check.
    """
    row = session.get(OutboxItem, item_id)
    if row is None or row.status not in (CLAIMED, SENDING) or row.due_at is None:
        return None
    if row.due_at > now:
        return None
    row.claim, row.updated_at = None, now
    if row.status == CLAIMED or row.kind == NOTICE:
        row.status, row.due_at = PENDING, now
        return None
    row.status, row.due_at = UNCONFIRMED, None
    row.error = "Steward stopped while posting it"
    return row


# ---- literal messages -----------------------------------------------------------------
def message_payload(message: Message) -> dict[str, Any]:
    """`message` as JSON-ready data; images and files are rendered, never stored."""
    if message.image is not None or message.file is not None:
        raise ValueError("an outbox notice carries no image or file; register a renderer")
    return {
        "text": message.text,
        "tag": message.tag,
        "sections": [[s.text, s.title, [list(f) for f in s.fields]] for s in message.sections],
        "buttons": [[b.label, b.action_id, b.style.value] for b in message.buttons],
    }


def payload_message(payload: dict[str, Any]) -> Message:
    return Message(
        text=payload["text"],
        tag=payload.get("tag", ""),
        sections=tuple(
            Section(text, title, tuple(tuple(f) for f in fields))
            for text, title, fields in payload.get("sections", ())
        ),
        buttons=tuple(
            Button(label, action, ButtonStyle(style))
            for label, action, style in payload.get("buttons", ())
        ),
    )
