"""inquiries: response times and the UTC quarter hour asked, kept as columns the stats read

The microseconds from asking to the first response and to a manager's first response, and
the UTC quarter hour of the day each question was asked in, are computed for the questions
already stored from the times they come from; the writers keep them from then on. Indexes
hold a window's questions by channel, by quarter hour and by status with what the stats
need, so `/inquiries stats` reads them without the table.

Revision ID: 0023_inquiries_response_times
Revises: 0017_inquiries
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_inquiries_response_times"
down_revision: str | None = "0017_inquiries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BY_CHANNEL = (
    "home_channel_id", "asked_at", "status", "first_response_by_manager", "first_response_us",
    "first_manager_response_us",
)  # fmt: skip
_BY_QUARTER = ("asked_quarter", "asked_at", "status", "first_response_us")
_BY_STATUS = ("status", "asked_at", "sla_due_at", "first_response_us")

# Whole microseconds since 1970 of a stored time: SQLite keeps `YYYY-MM-DD HH:MM:SS.ffffff`
# (UTC), PostgreSQL a timestamptz.
_MICROS = {
    "sqlite": (
        "(CAST(strftime('%s', {0}) AS INTEGER) * 1000000 + CAST(substr({0}, 21, 6) AS INTEGER))"
    ),
    "postgresql": "CAST(extract(epoch FROM {0}) * 1000000 AS BIGINT)",
}
_QUARTER = {  # the UTC hour times four, and the quarter within it
    "sqlite": (
        "CAST(substr(asked_at, 12, 2) AS INTEGER) * 4"
        " + CAST(substr(asked_at, 15, 2) AS INTEGER) / 15"
    ),
    "postgresql": (
        "CAST(extract(hour FROM asked_at AT TIME ZONE 'UTC') * 4"
        " + floor(extract(minute FROM asked_at AT TIME ZONE 'UTC') / 15) AS SMALLINT)"
    ),
}
_FILL = """
UPDATE inquiry SET asked_quarter = {quarter},
       first_response_us = {first} - {asked},
       first_manager_response_us = {manager} - {asked}
"""


def _fill(dialect: str) -> str:
    micros = _MICROS.get(dialect, _MICROS["postgresql"]).format
    return _FILL.format(
        quarter=_QUARTER.get(dialect, _QUARTER["postgresql"]),
        first=micros("first_response_at"),
        manager=micros("first_manager_response_at"),
        asked=micros("asked_at"),
    )


def upgrade() -> None:
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asked_quarter", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("first_response_us", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("first_manager_response_us", sa.BigInteger(), nullable=True))
    op.execute(_fill(op.get_bind().dialect.name))
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.alter_column("asked_quarter", existing_type=sa.SmallInteger(), nullable=False)
        batch_op.drop_index("ix_inquiry_status")
        batch_op.create_index("ix_inquiry_by_status", list(_BY_STATUS), unique=False)
        batch_op.create_index("ix_inquiry_by_channel", list(_BY_CHANNEL), unique=False)
        batch_op.create_index("ix_inquiry_by_quarter", list(_BY_QUARTER), unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiry_by_quarter")
        batch_op.drop_index("ix_inquiry_by_channel")
        batch_op.drop_index("ix_inquiry_by_status")
        batch_op.create_index("ix_inquiry_status", ["status"], unique=False)
        batch_op.drop_column("first_manager_response_us")
        batch_op.drop_column("first_response_us")
        batch_op.drop_column("asked_quarter")
