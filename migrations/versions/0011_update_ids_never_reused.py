"""the update log's ids are never used twice (SQLite AUTOINCREMENT)

Revision ID: 0011_update_ids_never_reused
Revises: 0010_languages

A compaction deletes the log rows it replayed by their ids. SQLite gave a new row the
highest id + 1, so once a compaction had emptied the log the next rows took the old ids
again, and a second compaction still holding those ids deleted them unfolded (CI, stop 25:
one edit lost in ``test_concurrent_appends_and_compactions_lose_nothing``). With
AUTOINCREMENT an id is never reused. SQLite cannot add it to a table: the table is rebuilt,
rows and indexes as they were. PostgreSQL draws ids from a sequence, which never reuses one:
nothing to do there.
"""

from __future__ import annotations

from alembic import op

revision = "0011_update_ids_never_reused"
down_revision = "0010_languages"
branch_labels = None
depends_on = None

COLUMNS = "id, meeting_id, data, author_id, author_role, audited, seq"
INDEXES = (
    "CREATE INDEX ix_document_updates_meeting_id_id ON document_updates (meeting_id, id)",
    "CREATE INDEX ix_document_updates_unaudited ON document_updates (id) WHERE NOT audited",
    "CREATE INDEX ix_document_updates_meeting_id_seq ON document_updates (meeting_id, seq)",
)


def rebuild(id_column: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"""CREATE TABLE document_updates_new (
            {id_column},
            meeting_id VARCHAR(32) NOT NULL REFERENCES meetings (id),
            data BLOB NOT NULL,
            author_id VARCHAR(32),
            author_role VARCHAR(20),
            audited BOOLEAN DEFAULT 0 NOT NULL,
            seq BIGINT
        )"""
    )
    # the ids as they were; AUTOINCREMENT goes on above the highest
    op.execute(
        f"INSERT INTO document_updates_new ({COLUMNS}) SELECT {COLUMNS} FROM document_updates"
    )
    op.execute("DROP TABLE document_updates")
    op.execute("ALTER TABLE document_updates_new RENAME TO document_updates")
    for index in INDEXES:
        op.execute(index)


def upgrade() -> None:
    rebuild("id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT")


def downgrade() -> None:
    rebuild("id INTEGER NOT NULL PRIMARY KEY")
