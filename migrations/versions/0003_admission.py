"""admission of sessions that joined by code

Revision ID: 0003_admission
Revises: 0002_accounts

A session that joined with the meeting's join code waits (``pending``) until the coordinator
admits or refuses it; removing someone marks it ``removed``. Existing sessions all came from
personal invite links, which are admitted at once: hence the server default.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_admission"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("admission", sa.String(length=20), server_default="admitted", nullable=False)
        )
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_sessions_meeting_id_admission", ["meeting_id", "admission"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_meeting_id_admission")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("admission")
