"""staff accounts: people linked to users, staff sessions, idle timeout

Revision ID: 0002_accounts
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_accounts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_people_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key("fk_people_user_id_users", "users", ["user_id"], ["id"])
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("family_id", existing_type=sa.String(length=32), nullable=True)
        batch_op.create_index(batch_op.f("ix_sessions_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key("fk_sessions_user_id_users", "users", ["user_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_sessions_user_id_users", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_sessions_user_id"))
        batch_op.alter_column("family_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("user_id")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint("fk_people_user_id_users", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_people_user_id"))
        batch_op.drop_column("user_id")
