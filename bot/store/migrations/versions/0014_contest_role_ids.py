"""contests: a contest's role is kept by platform id (`role_id`), with its name for display

The old `role` column held the role's name as the manager typed it, compared with a member's
role names without regard to case. It becomes `role_name` (shown as typed), and `role_id` is
filled from it: no platform id is known for an old row, so the stored name, lowercased, is
treated as the id. The only adapter then, the console, names its one role `manager` with that
same id, so every old contest admits exactly the members it admitted before.

Revision ID: 0014_contest_role_ids
Revises: 0013_contests_posts
Create Date: 2026-12-02 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_contest_role_ids"
down_revision: str | None = "0013_contests_posts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ALTER TABLE (SQLite 3.25+/3.35+): a batch copy would drop a referenced table
    op.execute("ALTER TABLE contest RENAME COLUMN role TO role_name")
    op.add_column(
        "contest",
        sa.Column("role_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    )
    op.execute("UPDATE contest SET role_id = LOWER(role_name) WHERE role_name IS NOT NULL")


def downgrade() -> None:
    op.execute("ALTER TABLE contest DROP COLUMN role_id")
    op.execute("ALTER TABLE contest RENAME COLUMN role_name TO role")
