"""The database tables (SQLAlchemy 2). Created by the Alembic migrations in ``migrations/``.

Ids are 32-character hex strings (uuid4), so they can appear in URLs and documents as they are.
Times are UTC. Plan versions and the audit log are append-only: the application has no code
path that updates or deletes their rows.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY
BigId = BigInteger().with_variant(Integer(), "sqlite")


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (SQLite returns them naive; all are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


DEFAULT_TIME_ZONE = "Europe/Amsterdam"


class Family(Base):
    __tablename__ = "families"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # support ended: the file is read-only, and the retention period counts from here
    closed_at: Mapped[datetime | None]
    # an IANA zone name (zoneinfo): every time shown to the family's table is in it
    time_zone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )


class Person(Base):
    """Someone at the family's table: family, network, professional or coordinator."""

    __tablename__ = "people"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    family_id: Mapped[str] = mapped_column(ForeignKey("families.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    relation: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    offers: Mapped[str] = mapped_column(Text, default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)  # children (role family)
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # removed from the family: the row stays so the log and old plan versions keep the name,
    # but a removed person takes part in nothing (no session, no link, no live meeting)
    removed_at: Mapped[datetime | None]
    # a staff account that takes part at this family's table as this person (membership)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    # the catalogue folder this person reads in (web/messages/<language>/); "" is Dutch
    language: Mapped[str] = mapped_column(String(16), default="", server_default="")


class User(Base):
    """A staff account (coordinator, professional, admin); families never need one."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]
    # the catalogue folder the staff member reads in; "" is Dutch
    language: Mapped[str] = mapped_column(String(16), default="", server_default="")


class MeetingStatus(enum.StrEnum):
    """``Meeting.status``: scheduled → live → closed (closing writes the plan version). Words
    people read: ``common.meeting_statuses.<value>``."""

    SCHEDULED = "scheduled"
    LIVE = "live"
    CLOSED = "closed"


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    family_id: Mapped[str] = mapped_column(ForeignKey("families.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.SCHEDULED)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    starts_at: Mapped[datetime | None]  # when a planned round table is to begin (UTC)
    place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(32))


class DocumentUpdate(Base):
    """The append-only log of a meeting document's effective updates."""

    __tablename__ = "document_updates"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # who sent it (None: the server), and whether its edit batch is in the audit log yet
    author_id: Mapped[str | None] = mapped_column(String(32))
    author_role: Mapped[str | None] = mapped_column(String(20))
    audited: Mapped[bool] = mapped_column(default=False, server_default=false())
    # with several processes (server/cluster/): the meeting's own sequence, in commit order
    # (``MeetingLogHead``); null when one process serves alone
    seq: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        Index("ix_document_updates_meeting_id_id", "meeting_id", "id"),
        Index("ix_document_updates_meeting_id_seq", "meeting_id", "seq"),
        # the edit ledger looks only for rows not yet audited: a small partial index
        Index(
            "ix_document_updates_unaudited",
            "id",
            sqlite_where=text("NOT audited"),
            postgresql_where=text("NOT audited"),
        ),
        # a compaction deletes the rows it replayed by id: an id must never come back
        # (SQLite's plain rowid reuses the highest one once the log is empty)
        {"sqlite_autoincrement": True},
    )


class DocumentSnapshot(Base):
    """The compacted state of a meeting document up to the log rows it replaced."""

    __tablename__ = "document_snapshots"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # folded up to


class MeetingLogHead(Base):
    """The last ``DocumentUpdate.seq`` of a meeting. Appends take this row's lock to draw their
    numbers and hold it until they commit, so the numbers come in commit order: whoever sees
    number n committed sees every number below it committed too (server/cluster/)."""

    __tablename__ = "meeting_log_heads"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)


class ServerProcess(Base):
    """A serving process's lease (several processes): renewed every second; a process whose
    lease ran out is fenced — its appends are refused — and its row is reaped by the others."""

    __tablename__ = "server_processes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class PlanVersion(Base):
    """One immutable version of a family plan, written when a meeting closes."""

    __tablename__ = "plan_versions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    family_id: Mapped[str] = mapped_column(ForeignKey("families.id"))
    number: Mapped[int] = mapped_column(Integer)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meetings.id"))
    closed_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    plan: Mapped[dict[str, Any]]
    snapshot: Mapped[bytes] = mapped_column(LargeBinary)
    __table_args__ = (UniqueConstraint("family_id", "number"),)


class Invite(Base):
    """A personal invite link. Only the SHA-256 of its token is stored."""

    __tablename__ = "invites"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AccountInvite(Base):
    """A link that lets a staff member set their password once (a new account, or a reset).
    Only the keyed hash of its token is stored, as for invite links."""

    __tablename__ = "account_invites"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_by: Mapped[str | None] = mapped_column(String(32))  # a user id
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Session(Base):
    """A server-side session, so it can be revoked. Only the hash of its cookie is stored.

    Two kinds: from an invite link (``family_id`` and ``role`` fixed, no user) and from a staff
    login (``user_id`` set, no family: the role at a family comes from the linked person).
    ``expires_at`` is the absolute timeout; ``last_seen_at`` drives the idle timeout.

    ``admission``: ``admitted`` (invite links; code joiners once the coordinator let them
    in), ``pending`` (a tablet that joined by code and waits), ``refused`` or ``removed``.
    Only admitted, unrevoked sessions are a ``Principal``; the rest reach nothing but the
    waiting page."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invite_id: Mapped[str | None] = mapped_column(ForeignKey("invites.id"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    family_id: Mapped[str | None] = mapped_column(ForeignKey("families.id"))
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meetings.id"))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    admission: Mapped[str] = mapped_column(
        String(20), default="admitted", server_default="admitted"
    )
    decided_at: Mapped[datetime | None]
    __table_args__ = (Index("ix_sessions_meeting_id_admission", "meeting_id", "admission"),)


class MeetingRemoval(Base):
    """A staff member the coordinator took out of one meeting. Their account and session stay
    (they take part elsewhere); this row keeps them out of this meeting."""

    __tablename__ = "meeting_removals"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    removed_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_by: Mapped[str | None] = mapped_column(String(32))


class AuditEvent(Base):
    """NEN 7513: who, in which role, on whose behalf, when, which family, what, outcome, where.

    ``family_id`` is deliberately not a foreign key: the rows outlive an erased family.
    """

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(32))
    actor_role: Mapped[str] = mapped_column(String(20))
    on_behalf_of: Mapped[str | None] = mapped_column(String(32))
    family_id: Mapped[str | None] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))
    access_point: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
