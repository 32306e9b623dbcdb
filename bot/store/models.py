"""Core tables: members, channels, the interaction log, and the messages the bot posted."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from bot.core.clock import ensure_utc


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always reads them back aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else ensure_utc(value)

    def bind_processor(self, dialect):
        """On SQLite, straight to the text SQLAlchemy's DateTime stores (`YYYY-MM-DD
        HH:MM:SS.ffffff`, in UTC), a third of the generic path's work: the interaction log
        writes one for every event."""
        if dialect.name == "sqlite":
            return _sqlite_text
        return super().bind_processor(dialect)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else ensure_utc(value)


def _sqlite_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = ensure_utc(value)
    return value.isoformat(" ", "microseconds")[:26]


def utc_column(nullable: bool = True, index: bool = False) -> Column:
    """A timestamp column whose values are always aware UTC datetimes."""
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Member(SQLModel, table=True):
    """A person in the community, once per platform account; an id is never reused."""

    __table_args__ = (
        UniqueConstraint("platform", "platform_user_id"),
        {"sqlite_autoincrement": True},  # an erased member's id never passes to a newcomer
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    platform_user_id: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    is_bot: bool = False
    roles: str = Field(default="", max_length=2000)
    joined_at: datetime | None = Field(default=None, sa_column=utc_column())
    left_at: datetime | None = Field(default=None, sa_column=utc_column())
    first_seen_at: datetime | None = Field(default=None, sa_column=utc_column())
    last_seen_at: datetime | None = Field(default=None, sa_column=utc_column())


class Channel(SQLModel, table=True):
    """A channel the bot has seen or posted in."""

    __table_args__ = (UniqueConstraint("platform", "platform_channel_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    platform_channel_id: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    is_admin: bool = False


REACTION_ADDED = "kind = 'reaction_added'"  # the reactions index holds only these rows
ON_A_POST = "content_type IS NOT NULL"  # interactions on the bot's posts: their own index


class Interaction(SQLModel, table=True):
    """One inbound event, recorded once (a repeated platform event id is ignored)."""

    __table_args__ = (
        UniqueConstraint("platform", "platform_event_id"),
        # /stats me reads a member's own rows from this one alone (covering: no table
        # lookups), and the reactions they received from ix_interaction_received; other
        # queries by member use its front. No index leads with target_member_id: erasing a
        # member (rare) clears it in one pass, sparing most inserts a random write.
        Index("ix_interaction_member_time", "member_id", "created_at", "kind", "removed_at"),
        Index(
            "ix_interaction_reaction",
            "platform",
            "message_id",
            sqlite_where=text(REACTION_ADDED),
            postgresql_where=text(REACTION_ADDED),
        ),
        # a week's rows by time, channel and kind (the digest), read from the index alone;
        # every query by time alone uses its front
        Index("ix_interaction_time", "created_at", "channel_id", "kind", "removed_at"),
        Index(  # a post's reactions and replies (the digest: engagement within 48 hours)
            "ix_interaction_on_post",
            "platform",
            "parent_message_id",
            "created_at",
            "kind",
            "removed_at",
            "member_id",
            "channel_id",
            sqlite_where=text(ON_A_POST),
            postgresql_where=text(ON_A_POST),
        ),
        Index(
            "ix_interaction_received",
            "target_member_id",
            "created_at",
            "member_id",
            "removed_at",
            sqlite_where=text(REACTION_ADDED),
            postgresql_where=text(REACTION_ADDED),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    platform_event_id: str = Field(max_length=128)
    kind: str = Field(max_length=32)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    channel_id: int | None = Field(default=None, foreign_key="channel.id")
    message_id: str | None = Field(default=None, max_length=64)
    parent_message_id: str | None = Field(default=None, max_length=64)
    target_member_id: int | None = Field(default=None, foreign_key="member.id")
    detail: str | None = Field(default=None, max_length=200)  # emoji, command name, action id
    text: str | None = None  # only when [privacy] store_message_text = true
    content_type: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=utc_column(nullable=False))
    removed_at: datetime | None = Field(default=None, sa_column=utc_column())  # reaction taken back


class BotMessage(SQLModel, table=True):
    """A message the bot posted: the one map from platform messages to what they are for.

    A platform message is (platform, channel, message id): a Slack `ts` is unique only within
    its channel. `feature`, `ref_id` and `role` say what it is for the feature ("poll",
    "results", "post", "entry:<id>", "round:<n>"), so features keep no message ids of their own.
    """

    __table_args__ = (
        UniqueConstraint("platform", "channel_id", "platform_message_id"),
        Index("ix_botmessage_ref", "feature", "ref_id", "role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=64)
    platform_message_id: str = Field(max_length=64, index=True)
    feature: str = Field(default="", max_length=32)
    ref_id: int | None = None
    role: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    content_type: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=utc_column(nullable=False))


class OutboxItem(SQLModel, table=True):
    """A post that must go out: a render recipe (kind, ref id, payload) and where it goes.

    Enqueued in the transaction of the change that causes it; delivered, retried and settled
    by bot.core.outbox. `channel_id` None means the managers' channel of `platform`.
    `due_at` is when the outbox must look at it again (a try, a retry, a stale claim).
    """

    __table_args__ = (UniqueConstraint("key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str | None = Field(default=None, max_length=200)  # at most one item per key
    feature: str = Field(max_length=32)
    kind: str = Field(max_length=64)
    ref_id: int | None = None
    role: str = Field(default="", max_length=64)
    payload: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    label: str = Field(default="", max_length=300)  # what it is, for the managers
    platform: str = Field(max_length=16)
    channel_id: str | None = Field(default=None, max_length=64)
    content_type: str | None = Field(default=None, max_length=32)
    status: str = Field(default="pending", max_length=16)
    claim: str | None = Field(default=None, max_length=32)
    attempts: int = 0
    due_at: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    error: str = Field(default="", max_length=500)
    bot_message_id: int | None = Field(default=None, foreign_key="botmessage.id")
    created_at: datetime = Field(sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(sa_column=utc_column(nullable=False))


class PlatformState(SQLModel, table=True):
    """What an adapter keeps between starts (the fingerprint of the commands it registered)."""

    platform: str = Field(primary_key=True, max_length=16)
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="", max_length=2000)
    updated_at: datetime = Field(sa_column=utc_column(nullable=False))


class InteractionTally(SQLModel, table=True):
    """The interaction log's standing rows counted by quarter hour (UTC), channel and kind;
    kept by the log's writers (bot.core.interaction_tally)."""

    __table_args__ = {"sqlite_with_rowid": False}  # read in key order: the key is the table

    quarter: int = Field(primary_key=True)  # whole quarter hours since 1970
    channel_id: int = Field(primary_key=True)  # the channel row; 0: none
    kind: str = Field(primary_key=True, max_length=32)
    action: str = Field(default="", primary_key=True, max_length=200)  # a click's action id
    n: int = 0
