"""each stored update names its writer, and whether its edit batch is audited

Revision ID: 0006_update_authors
Revises: 0005_removals

The audit log's edit batches used to be counted in memory and written once per period, so a
crash lost the current period's rows. Now each update row says who sent it, committed with the
update itself; the edit ledger turns unaudited rows into audit rows and marks them in one
transaction, and compaction folds away only rows already audited.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_update_authors"
down_revision = "0005_removals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_updates") as table:
        table.add_column(sa.Column("author_id", sa.String(length=32), nullable=True))
        table.add_column(sa.Column("author_role", sa.String(length=20), nullable=True))
        table.add_column(
            sa.Column("audited", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_index(
        "ix_document_updates_unaudited",
        "document_updates",
        ["id"],
        sqlite_where=sa.text("NOT audited"),
        postgresql_where=sa.text("NOT audited"),
    )


def downgrade() -> None:
    op.drop_index("ix_document_updates_unaudited", table_name="document_updates")
    with op.batch_alter_table("document_updates") as table:
        table.drop_column("audited")
        table.drop_column("author_role")
        table.drop_column("author_id")
