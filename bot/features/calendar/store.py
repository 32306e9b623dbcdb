"""Calendar tables, and the database steps that make each occurrence go out at most once.

`CalendarPost.next_at` is the next occurrence still to handle (NULL unless the post is active),
`heads_up_at` when the managers' heads-up for it is due. Each occurrence handled gets one
`CalendarOccurrence` row, unique per (post, time): the row is inserted ("claimed") in its own
committed transaction before anything is sent, so a second process or a restart cannot send it
again. `check_at` is when the job must look at an occurrence again (a retry, or a claim that
never finished). The message an occurrence went out as is a BotMessage of feature "calendar",
the post's id and the role `at:<occurrence epoch>` (see `occurrence_role`), remembered in the
transaction that marks the occurrence sent.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import UniqueConstraint, func, union_all, update
from sqlmodel import Field, Session, SQLModel, col, select

from bot.features.calendar.channels import shown_name
from bot.features.calendar.recurrence import Schedule
from bot.store.models import BotMessage, utc_column
from bot.text.excerpts import excerpt

# occurrence states
CLAIMED = "claimed"  # being sent right now (or the process died while sending it)
SENT = "sent"
RETRY = "retry"  # a send failed; tried again at check_at
FAILED = "failed"  # gave up after retries; managers were told
MISSED = "missed"  # fell due while Steward was down, beyond the misfire grace; managers told
SKIPPED = "skipped"  # a manager chose to skip it
UNCONFIRMED = "unconfirmed"  # Steward stopped while sending; managers asked to check
STALE_CLAIM = timedelta(minutes=5)  # a claim older than this belongs to a process that died
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))

# post states
ACTIVE, PAUSED, CANCELLED, DONE = "active", "paused", "cancelled", "done"
HEADS_UP_FEATURE = "calendar_heads_up"  # how heads-up messages are recorded (BotMessage.feature)
TITLE_CHARS = 80  # a post without a title is called by the start of its text


class CalendarPost(SQLModel, table=True):
    """A planned post: one-off or recurring, in one channel (by platform id) on one platform.

    `channel_name` is the channel's name when last looked up; what is shown is asked for by id.
    `author_id` is the member who scheduled it (None from the command line, or once forgotten).
    """

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=200)  # 200: an old post's name may stand in for its id
    channel_name: str = Field(default="", max_length=200)
    content_type: str = Field(max_length=32)
    title: str = Field(default="", max_length=300)
    text: str = ""
    link: str = Field(default="", max_length=2000)
    repeat: str = Field(default="", max_length=500)
    timezone: str = Field(max_length=64)  # the zone whose wall-clock hour recurrences keep
    starts_at: datetime = Field(sa_column=utc_column(nullable=False))
    status: str = Field(default=ACTIVE, max_length=16)
    next_at: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    heads_up_at: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    author_id: int | None = Field(default=None, foreign_key="member.id")
    source: str = Field(default="", max_length=300)
    created_at: datetime = Field(sa_column=utc_column(nullable=False))

    def schedule(self) -> Schedule:
        return Schedule(self.repeat, self.starts_at, ZoneInfo(self.timezone))


class CalendarOccurrence(SQLModel, table=True):
    """One occurrence of a post that Steward has handled (or is handling)."""

    __table_args__ = (UniqueConstraint("post_id", "occurs_at"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="calendarpost.id")
    occurs_at: datetime = Field(sa_column=utc_column(nullable=False))
    status: str = Field(max_length=16)
    attempts: int = 0
    check_at: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    error: str = Field(default="", max_length=500)
    skipped_by: str = Field(default="", max_length=200)  # why, when no member skipped it
    skipped_by_id: int | None = Field(default=None, foreign_key="member.id")
    updated_at: datetime = Field(sa_column=utc_column(nullable=False))


@dataclass(frozen=True)
class Claim:
    """What the job got from the database for one due occurrence."""

    post: CalendarPost
    occurs_at: datetime
    outcome: str  # CLAIMED (send it now), MISSED (too late), or "handled" (skipped/sent before)
    occurrence_id: int | None = None


# ---- scheduling a post's next occurrence ---------------------------------------------------
def set_next(post: CalendarPost, following: datetime | None, now: datetime, heads_up: timedelta):
    """Point `post` at its next occurrence (or finish it) and plan the heads-up for it."""
    post.next_at = following
    post.heads_up_at = None
    if following is None:
        post.status = DONE if post.status == ACTIVE else post.status
        return
    if heads_up > timedelta() and following - heads_up >= now:
        post.heads_up_at = following - heads_up


def activate(post: CalendarPost, now: datetime, heads_up: timedelta) -> None:
    """Make `post` active from `now`: its first occurrence at or after now is next."""
    post.status = ACTIVE
    set_next(post, post.schedule().first_from(now), now, heads_up)


# ---- what is due --------------------------------------------------------------------------
def next_due_query():
    """One statement, three index lookups: the earliest next_at, heads_up_at and check_at."""
    times = union_all(
        select(func.min(CalendarPost.next_at).label("at")),
        select(func.min(CalendarPost.heads_up_at).label("at")),
        select(func.min(CalendarOccurrence.check_at).label("at")),
    ).subquery()
    return select(func.min(times.c.at))


def next_due_at(session: Session) -> datetime | None:
    """The earliest time the calendar has work: a post, a heads-up, a retry or a stale claim."""
    return session.exec(next_due_query()).one()


def due_post_ids(session: Session, now: datetime) -> list[int]:
    rows = select(CalendarPost.id).where(CalendarPost.next_at <= now)
    return list(session.exec(rows.order_by(CalendarPost.next_at)).all())


def due_heads_up_ids(session: Session, now: datetime) -> list[int]:
    rows = select(CalendarPost.id).where(CalendarPost.heads_up_at <= now)
    return list(session.exec(rows.order_by(CalendarPost.heads_up_at)).all())


def due_checks(session: Session, now: datetime) -> list[tuple[int, str]]:
    rows = select(CalendarOccurrence.id, CalendarOccurrence.status).where(
        CalendarOccurrence.check_at <= now
    )
    return [tuple(row) for row in session.exec(rows.order_by(CalendarOccurrence.check_at)).all()]


# ---- claiming -----------------------------------------------------------------------------
def claim_next(
    session: Session, post_id: int, now: datetime, grace: timedelta, heads_up: timedelta
) -> Claim | None:
    """Take the post's next due occurrence: claim it (or mark it missed) and move the post on.

    Raises IntegrityError when another process claimed it first; the caller simply asks again.
    """
    post = session.get(CalendarPost, post_id)
    if post is None or post.next_at is None or post.next_at > now:
        return None
    occurs_at = post.next_at
    set_next(post, post.schedule().after(occurs_at), now, heads_up)
    session.add(post)
    existing = session.exec(
        select(CalendarOccurrence).where(
            CalendarOccurrence.post_id == post_id, CalendarOccurrence.occurs_at == occurs_at
        )
    ).first()
    if existing is not None:
        return Claim(post, occurs_at, "handled")
    late = now - occurs_at > grace
    row = CalendarOccurrence(
        post_id=post_id,
        occurs_at=occurs_at,
        status=MISSED if late else CLAIMED,
        check_at=None if late else now + STALE_CLAIM,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return Claim(post, occurs_at, MISSED if late else CLAIMED, row.id)


def claim_retry(
    session: Session, occurrence_id: int, now: datetime, grace: timedelta
) -> Claim | None:
    """Take a failed occurrence whose retry is due; None if another process took it first.

    A retry found more than `grace` after the post's time (Steward was down) is missed instead.
    """
    taken = session.execute(
        update(CalendarOccurrence)
        .where(
            CalendarOccurrence.id == occurrence_id,
            CalendarOccurrence.status == RETRY,
            CalendarOccurrence.check_at <= now,
        )
        .values(status=CLAIMED, check_at=now + STALE_CLAIM, updated_at=now)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    row = session.get(CalendarOccurrence, occurrence_id)
    post = session.get(CalendarPost, row.post_id)
    if post.status in (CANCELLED, PAUSED):
        row.status, row.check_at, row.skipped_by = SKIPPED, None, f"post {post.status}"
        return Claim(post, row.occurs_at, "handled", row.id)
    if now - row.occurs_at > grace:
        row.status, row.check_at = MISSED, None
        return Claim(post, row.occurs_at, MISSED, row.id)
    return Claim(post, row.occurs_at, CLAIMED, row.id)


def claim_heads_up(session: Session, post_id: int, now: datetime) -> CalendarPost | None:
    """Take the post's due heads-up (sent at most once); None when there is nothing to say."""
    taken = session.execute(
        update(CalendarPost)
        .where(CalendarPost.id == post_id, CalendarPost.heads_up_at <= now)
        .values(heads_up_at=None)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    post = session.get(CalendarPost, post_id)
    if post is None or post.status != ACTIVE or post.next_at is None or post.next_at <= now:
        return None
    return post


# ---- outcomes -----------------------------------------------------------------------------
def occurrence_role(occurs_at: datetime) -> str:
    """The BotMessage role of the message one occurrence went out as: `at:<epoch>`."""
    return f"at:{int(occurs_at.timestamp())}"


def mark_sent(session: Session, occurrence_id: int, now: datetime) -> None:
    row = session.get(CalendarOccurrence, occurrence_id)
    row.status, row.check_at, row.updated_at = SENT, None, now
    row.attempts += 1


def mark_failed_attempt(
    session: Session, occurrence_id: int, reason: str, now: datetime
) -> tuple[CalendarOccurrence, CalendarPost]:
    """Count a failed send: plan a retry with backoff, or give up (status failed)."""
    row = session.get(CalendarOccurrence, occurrence_id)
    row.attempts += 1
    row.error = reason[:500]
    row.updated_at = now
    if row.attempts <= len(BACKOFF):
        row.status, row.check_at = RETRY, now + BACKOFF[row.attempts - 1]
    else:
        row.status, row.check_at = FAILED, None
    return row, session.get(CalendarPost, row.post_id)


def mark_unconfirmed(
    session: Session, occurrence_id: int, reason: str, now: datetime
) -> tuple[CalendarOccurrence, CalendarPost]:
    row = session.get(CalendarOccurrence, occurrence_id)
    row.status, row.check_at, row.error, row.updated_at = UNCONFIRMED, None, reason[:500], now
    return row, session.get(CalendarPost, row.post_id)


def settle_stale_claim(
    session: Session, occurrence_id: int, now: datetime
) -> tuple[CalendarOccurrence, CalendarPost] | None:
    """A claim whose process died: `sent` if its message was recorded, else `unconfirmed`.

    Returns the row and post when managers must be asked to check; None when settled as sent.
    """
    row = session.get(CalendarOccurrence, occurrence_id)
    if row is None or row.status != CLAIMED or row.check_at is None or row.check_at > now:
        return None
    post = session.get(CalendarPost, row.post_id)
    recorded = session.exec(
        select(BotMessage.id).where(
            BotMessage.feature == "calendar",
            BotMessage.ref_id == row.post_id,
            BotMessage.role == occurrence_role(row.occurs_at),
        )
    ).first()
    if recorded is not None:
        mark_sent(session, occurrence_id, now)
        return None
    row.status, row.check_at, row.updated_at = UNCONFIRMED, None, now
    row.error = "Steward stopped while sending it"
    return row, post


def skip_occurrence(
    session: Session, post_id: int, occurs_at: datetime, by: int | None, now: datetime
) -> CalendarOccurrence | None:
    """Mark an upcoming occurrence skipped by member `by`; the existing row if it was handled
    already."""
    existing = session.exec(
        select(CalendarOccurrence).where(
            CalendarOccurrence.post_id == post_id, CalendarOccurrence.occurs_at == occurs_at
        )
    ).first()
    if existing is not None:
        return existing
    session.add(
        CalendarOccurrence(
            post_id=post_id, occurs_at=occurs_at, status=SKIPPED, skipped_by_id=by, updated_at=now
        )
    )
    return None


def heads_up_messages(session: Session, post_id: int, since: datetime) -> list[BotMessage]:
    """The heads-ups posted for `post_id` since `since` (one per managers' channel)."""
    rows = select(BotMessage).where(
        BotMessage.feature == HEADS_UP_FEATURE,
        BotMessage.ref_id == post_id,
        BotMessage.created_at >= since,
    )
    return list(session.exec(rows).all())


def suspend_post(session: Session, post_id: int) -> CalendarPost | None:
    """Pause a post the job could not handle, so one bad row never blocks the calendar."""
    post = session.get(CalendarPost, post_id)
    if post is not None:
        post.status, post.next_at, post.heads_up_at = PAUSED, None, None
    return post


def remember_channel(session: Session, post_id: int, channel_id: str, name: str) -> None:
    """The post's channel as the platform last answered: its id (a name stored before ids
    were, on an old database, becomes the id) and its current name."""
    session.execute(
        update(CalendarPost)
        .where(CalendarPost.id == post_id)
        .values(channel_id=channel_id, channel_name=name)
    )


def forget_member(session: Session, member_id: int) -> None:
    """The posts the member scheduled and the occurrences they skipped no longer name them."""
    session.execute(
        update(CalendarPost).where(CalendarPost.author_id == member_id).values(author_id=None)
    )
    session.execute(
        update(CalendarOccurrence)
        .where(CalendarOccurrence.skipped_by_id == member_id)
        .values(skipped_by_id=None)
    )


def export_member(session: Session, member_id: int) -> dict:
    """The calendar posts this member scheduled and the occurrences they skipped."""
    posts = session.exec(
        select(CalendarPost).where(CalendarPost.author_id == member_id).order_by(CalendarPost.id)
    )
    skipped = session.exec(
        select(CalendarOccurrence)
        .where(CalendarOccurrence.skipped_by_id == member_id)
        .order_by(CalendarOccurrence.id)
    )
    return {
        "scheduled": [
            {
                "id": p.id,
                "type": p.content_type,
                "channel": shown_name(p),
                "title": p.title,
                "starts_at": p.starts_at.isoformat(),
                "repeat": p.repeat,
            }
            for p in posts
        ],
        "skipped": [{"post_id": o.post_id, "occurs_at": o.occurs_at.isoformat()} for o in skipped],
    }


def active_channels(session: Session, platform: str) -> list[str]:
    """The channels that active posts on `platform` will be published in."""
    query = (
        select(CalendarPost.channel_id)
        .where(CalendarPost.platform == platform, CalendarPost.status == ACTIVE)
        .distinct()
    )
    return list(session.exec(query))


def post_titles(session: Session, ids: Collection[int]) -> dict[int, str]:
    """What each post in `ids` is called, by id: its title, else the start of its text."""
    found = select(CalendarPost.id, CalendarPost.title, CalendarPost.text)
    rows = session.exec(found.where(col(CalendarPost.id).in_(list(ids)))) if ids else []
    return {post_id: title.strip() or excerpt(text, TITLE_CHARS) for post_id, title, text in rows}
