"""core: the interaction log counted by quarter hour, channel and kind

The tally is filled from the rows already in the log; the log's writers keep it from then on.

Revision ID: 0022_core_interaction_tally
Revises: 0021_core_post_engagement
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022_core_interaction_tally"
down_revision: str | None = "0021_core_post_engagement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_QUARTER = {  # whole quarter hours since 1970 of a row's time (stored in UTC)
    "sqlite": "CAST(strftime('%s', created_at) AS INTEGER) / 900",
    "postgresql": "CAST(floor(extract(epoch FROM created_at) / 900) AS INTEGER)",
}
_FILL = """
INSERT INTO interactiontally (quarter, channel_id, kind, action, n)
SELECT {quarter}, coalesce(channel_id, 0), kind,
       CASE WHEN kind = 'button' THEN coalesce(detail, '') ELSE '' END, count(*)
FROM interaction WHERE removed_at IS NULL
GROUP BY 1, 2, 3, 4
"""


def upgrade() -> None:
    op.create_table(
        "interactiontally",
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("kind", _TEXT(length=32), nullable=False),
        sa.Column("action", _TEXT(length=200), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("quarter", "channel_id", "kind", "action"),
        sqlite_with_rowid=False,
    )
    dialect = op.get_bind().dialect.name
    op.execute(_FILL.format(quarter=_QUARTER.get(dialect, _QUARTER["postgresql"])))


def downgrade() -> None:
    op.drop_table("interactiontally")
