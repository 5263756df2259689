"""staff taken out of one meeting

Revision ID: 0005_removals
Revises: 0004_privacy

A coordinator can take a professional who signed in with an account out of a meeting. Their
account and session stay (they take part in other families); this row keeps them out of this
meeting.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_removals"
down_revision = "0004_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_removals",
        sa.Column("meeting_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("meeting_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("meeting_removals")
