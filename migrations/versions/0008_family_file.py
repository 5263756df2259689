"""a family's file kept from the web: note and closing, people's details, planned meetings

Revision ID: 0008_family_file
Revises: 0007_shared_log

Families get an optional note and ``closed_at`` (support ended: read-only, the retention
period counts from then). People get a birth year (children), phone and e-mail
(professionals) and ``removed_at``: a removed person's row stays, so their name stays in the
log and in earlier plan versions, but they take part in nothing any more. Meetings get the
planned moment and place of a round table (``status`` scheduled until it is started).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_family_file"
down_revision = "0007_shared_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("families", sa.Column("note", sa.Text(), nullable=False, server_default=""))
    op.add_column("families", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("people", sa.Column("birth_year", sa.Integer(), nullable=True))
    op.add_column(
        "people", sa.Column("phone", sa.String(length=40), nullable=False, server_default="")
    )
    op.add_column(
        "people", sa.Column("email", sa.String(length=254), nullable=False, server_default="")
    )
    op.add_column("people", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("meetings", sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "meetings", sa.Column("place", sa.String(length=200), nullable=False, server_default="")
    )


def downgrade() -> None:
    for table, column in (
        ("meetings", "place"),
        ("meetings", "starts_at"),
        ("people", "removed_at"),
        ("people", "email"),
        ("people", "phone"),
        ("people", "birth_year"),
        ("families", "closed_at"),
        ("families", "note"),
    ):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
