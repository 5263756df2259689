"""each person's and each staff account's language

Revision ID: 0010_languages
Revises: 0009_account_invites_tz

``people.language`` and ``users.language``: the catalogue folder (``web/messages/<code>/``) the
person reads Rondetafel in; empty (every existing row) is Dutch.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_languages"
down_revision = "0009_account_invites_tz"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("people", "users"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("language", sa.String(length=16), nullable=False, server_default="")
            )


def downgrade() -> None:
    for table in ("users", "people"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("language")
