"""several processes on one database: the log's commit-order sequence and process leases

Revision ID: 0007_shared_log
Revises: 0006_update_authors

``document_updates.seq`` numbers a meeting's updates in commit order (drawn under the lock of
its ``meeting_log_heads`` row); ``document_snapshots.seq`` says up to which number a snapshot
folded; ``server_processes`` holds each serving process's lease (fencing). Unused, and empty,
while one process serves alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_shared_log"
down_revision = "0006_update_authors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_updates") as batch:
        batch.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch.create_index("ix_document_updates_meeting_id_seq", ["meeting_id", "seq"])
    with op.batch_alter_table("document_snapshots") as batch:
        batch.add_column(sa.Column("seq", sa.BigInteger(), server_default="0", nullable=False))
    op.create_table(
        "meeting_log_heads",
        sa.Column("meeting_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("meeting_id"),
    )
    op.create_table(
        "server_processes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("server_processes")
    op.drop_table("meeting_log_heads")
    with op.batch_alter_table("document_snapshots") as batch:
        batch.drop_column("seq")
    with op.batch_alter_table("document_updates") as batch:
        batch.drop_index("ix_document_updates_meeting_id_seq")
        batch.drop_column("seq")
