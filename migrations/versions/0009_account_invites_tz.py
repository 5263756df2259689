"""account invitations, and each family's time zone

Revision ID: 0009_account_invites_tz
Revises: 0008_family_file

``account_invites``: a link that lets a staff member set their password once (a new account
made on the admin page or by a coordinator, or a reset); only the token's keyed hash is kept.
``families.time_zone``: the zone every time shown at the family's table is in (existing
families: Europe/Amsterdam).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_account_invites_tz"
down_revision = "0008_family_file"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_invites",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_account_invites_user_id", "account_invites", ["user_id"])
    with op.batch_alter_table("families") as batch:
        batch.add_column(
            sa.Column(
                "time_zone",
                sa.String(length=64),
                nullable=False,
                server_default="Europe/Amsterdam",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("families") as batch:
        batch.drop_column("time_zone")
    op.drop_index("ix_account_invites_user_id", table_name="account_invites")
    op.drop_table("account_invites")
