"""inquiries: a summary of each whole UTC day's questions for the stats, and its change count

`inquiry_day_summary` holds what `/inquiries stats` needs of a day's questions, of a
window's whole days, or of the end of a day (per channel, per UTC quarter hour, with their
response times), made by the stats on first need; it is good while the sum of its days'
counts in `inquiry_day`, which every change to one of their questions adds to, is what it
was made at. Both start empty: the stats fill them.

Revision ID: 0024_inquiries_daily_summary
Revises: 0023_inquiries_response_times
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0024_inquiries_daily_summary"
down_revision: str | None = "0023_inquiries_response_times"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inquiry_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("changes", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "inquiry_day_summary",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("from_hour", sa.Integer(), nullable=False),
        sa.Column("changes", sa.BigInteger(), nullable=False),
        sa.Column("channels", sa.Text(), nullable=False),
        sa.Column("figures", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("day", "scope", "days", "from_hour"),
    )


def downgrade() -> None:
    op.drop_table("inquiry_day_summary")
    op.drop_table("inquiry_day")
