"""All settings, read from ``RONDETAFEL_*`` environment variables in this one place.

Each field documents itself through ``FIELDS``; ``Settings.from_env()`` is the only reader of
the environment. The secret key keeps an obvious default so ``make run`` works out of the box,
but ``validate()`` refuses it unless demo mode is on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_SECRET = "change-me-rondetafel-demo-secret"


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Environment name = ``RONDETAFEL_`` + field name in capitals."""

    database_url: str = field(
        default="sqlite+aiosqlite:///./var/rondetafel.db",
        metadata=_help("SQLAlchemy async URL; PostgreSQL via postgresql+asyncpg://…"),
    )
    host: str = field(default="127.0.0.1", metadata=_help("Interface to listen on."))
    port: int = field(default=8000, metadata=_help("TCP port to listen on."))
    public_url: str = field(
        default="",
        metadata=_help("Address people open, used in invite links; default http://host:port."),
    )
    secret_key: str = field(
        default=DEFAULT_SECRET,
        repr=False,  # settings get logged and printed in tracebacks; the key never
        metadata=_help("Keys the hashes of invite and session tokens. Required outside demo."),
    )
    demo: bool = field(default=False, metadata=_help("Demo mode: allows the default secret."))
    max_message_size: int = field(
        default=1024 * 1024, metadata=_help("Largest websocket frame accepted, in bytes.")
    )
    allowed_origins: tuple[str, ...] = field(
        default=(),
        metadata=_help(
            "Comma-separated browser origins allowed on the websocket; "
            "default: the public URL plus localhost/127.0.0.1 on the port."
        ),
    )
    eviction_grace: float = field(
        default=30.0, metadata=_help("Seconds a meeting stays loaded after its last client left.")
    )
    compaction_threshold: int = field(
        default=500, metadata=_help("Updates in the log before it is compacted into a snapshot.")
    )
    bench_without_gate: bool = field(
        default=False,
        metadata=_help(
            "Benchmarks only: apply updates without the update gate, for a reference figure. "
            "Refused outside demo mode."
        ),
    )
    invite_ttl_hours: float = field(
        default=72.0, metadata=_help("How long an invite link stays valid.")
    )
    pdf_font_dir: str = field(
        default="/usr/share/fonts/truetype/dejavu",
        metadata=_help(
            "Folder with DejaVuSans.ttf, -Bold and -Oblique for the plan PDF (Debian: "
            "fonts-dejavu-core); without them the PDF shows Western European letters only."
        ),
    )
    account_invite_ttl_hours: float = field(
        default=72.0,
        metadata=_help("How long a link to set a staff account's password stays valid."),
    )
    session_ttl_hours: float = field(
        default=12.0,
        metadata=_help("Absolute timeout: a session ends this long after it began, used or not."),
    )
    session_idle_minutes: float = field(
        default=30.0,
        metadata=_help(
            "Idle timeout: a session ends after this long without a request "
            "(an open meeting connection counts as activity)."
        ),
    )
    session_warning_minutes: float = field(
        default=5.0, metadata=_help("How long before a session ends the page warns.")
    )
    session_check_seconds: float = field(
        default=20.0,
        metadata=_help(
            "How often an open meeting connection re-checks its session "
            "(revoked, disabled, expired) and counts as activity."
        ),
    )
    login_max_failures: int = field(
        default=5,
        metadata=_help(
            "Failed logins per username from one address within the login window "
            "before it is locked there for the rest of the window."
        ),
    )
    login_max_failures_per_ip: int = field(
        default=20,
        metadata=_help("Failed logins per client address within the login window."),
    )
    login_window_minutes: float = field(
        default=15.0, metadata=_help("The window the login limits count failures in.")
    )
    send_queue_bytes: int = field(
        default=4 << 20,
        metadata=_help("Bytes queued for one connection that does not read before it is closed."),
    )
    rate_messages: float = field(
        default=200.0,
        metadata=_help("Messages per second one connection may send; faster is slowed down."),
    )
    rate_bytes: float = field(
        default=2 << 20,
        metadata=_help("Bytes per second one connection may send; faster is slowed down."),
    )
    cool_down_seconds: float = field(
        default=1.0,
        metadata=_help(
            "Seconds a session waits to connect again after a connection of it was closed "
            "for what it sent (1003, 1007, 1009, 4422); doubled per such close up to a "
            "minute. 0: no wait."
        ),
    )
    idle_timeout: float = field(
        default=120.0,
        metadata=_help(
            "Seconds a websocket may send nothing (browsers renew presence every 15 s) "
            "before it is closed (4508; the browser reconnects when it wakes)."
        ),
    )
    join_attempts_per_ip: int = field(
        default=10,
        metadata=_help("Join-code attempts per minute from one client IP; more get 429."),
    )
    join_failures_global: int = field(
        default=60,
        metadata=_help(
            "Wrong join codes per minute from all clients together; beyond it every "
            "join-code attempt gets 429 until the budget refills."
        ),
    )
    join_requests_per_meeting: int = field(
        default=20,
        metadata=_help("Requests to join one meeting by its code per minute; more get 429."),
    )

    audit_edit_seconds: float = field(
        default=60.0,
        metadata=_help(
            "Edits of one person in one meeting are written to the audit log as one row per "
            "this many seconds (and when they leave), not one row per keystroke."
        ),
    )
    redis_url: str = field(
        default="",
        metadata=_help(
            "Redis for several processes on one PostgreSQL database (redis://host:6379/0); "
            "unset: one process, as always."
        ),
    )
    process_lease_seconds: float = field(
        default=10.0,
        metadata=_help(
            "Several processes: a process that could not renew its lease for this long writes "
            "nothing more and stops; the others take its clients."
        ),
    )
    bus_drop_rate: float = field(
        default=0.0,
        metadata=_help("Tests only: share of Redis messages a process ignores (needs DEMO)."),
    )
    read_aloud_dir: str = field(
        default="",
        metadata=_help(
            "Folder for read-aloud audio, a subfolder per family (erased with it); default: "
            "read-aloud/ beside the SQLite database, else ./var/read-aloud."
        ),
    )
    read_aloud_family_mb: float = field(
        default=20.0,
        metadata=_help("Read-aloud audio kept per family (MB); the least recently heard goes."),
    )
    read_aloud_total_mb: float = field(
        default=500.0, metadata=_help("Read-aloud audio kept for all families together (MB).")
    )
    retention_years: float = field(
        default=20.0,
        metadata=_help(
            "How long a family's data is kept after its last plan version or meeting "
            "(Jeugdwet: 20 years). `rondetafel family expired` lists families past it."
        ),
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from the environment; keyword overrides win (used by the CLI)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get("RONDETAFEL_" + f.name.upper())
            if raw is not None:
                values[f.name] = _parse(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def validate(self) -> None:
        """Refuse settings that are unsafe to serve real families with."""
        if self.secret_key == DEFAULT_SECRET and not self.demo:
            raise ValueError(
                "RONDETAFEL_SECRET_KEY is still the default. Set a long random value "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
                "or set RONDETAFEL_DEMO=1 to try the app locally."
            )
        if self.bench_without_gate and not self.demo:
            raise ValueError("RONDETAFEL_BENCH_WITHOUT_GATE is for benchmarks in demo mode only.")
        if self.redis_url and not self.database_url.startswith("postgresql"):
            raise ValueError(
                "RONDETAFEL_REDIS_URL (several processes) needs PostgreSQL in "
                "RONDETAFEL_DATABASE_URL: SQLite is for one process."
            )
        if self.bus_drop_rate and not self.demo:
            raise ValueError("RONDETAFEL_BUS_DROP_RATE is for tests in demo mode only.")
        if self.max_message_size < 1024:
            raise ValueError("RONDETAFEL_MAX_MESSAGE_SIZE must be at least 1024 bytes.")

    @property
    def audio_dir(self) -> Path:
        if self.read_aloud_dir:
            return Path(self.read_aloud_dir)
        database = self.sqlite_path()
        return (database.parent if database else Path("var")) / "read-aloud"

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def origins(self) -> frozenset[str]:
        if self.allowed_origins:
            return frozenset(self.allowed_origins)
        return frozenset(
            {
                self.base_url,
                f"http://localhost:{self.port}",
                f"http://127.0.0.1:{self.port}",
            }
        )

    def sqlite_path(self) -> Path | None:
        """The database file for a SQLite URL, else None."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        return Path(self.database_url[len(prefix) :])


def _parse(kind: object, raw: str) -> object:
    if kind in ("int", int):
        return int(raw)
    if kind in ("float", float):
        return float(raw)
    if kind in ("bool", bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind in ("tuple[str, ...]",):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting, for the README and ``--help``."""
    return [
        ("RONDETAFEL_" + f.name.upper(), repr(f.default), f.metadata.get("help", ""))
        for f in fields(Settings)
    ]
