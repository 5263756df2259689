"""What the live-document core needs from storage, as a protocol (the SQL store implements it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from pycrdt import Doc


class LogEntry(NamedTuple):
    """One effective update for the log, with who sent it: the audit's edit batches are
    counted from these rows, so they are as durable as the edits (nothing lost in a crash).
    A server edit has no author."""

    meeting_id: str
    data: bytes
    author_id: str | None = None
    author_role: str | None = None


class UpdateStore(Protocol):
    """Durable, append-only storage of a meeting document's updates."""

    async def load(self, meeting_id: str) -> list[bytes]:
        """The snapshot (if any) followed by every update appended after it, in order."""
        ...

    async def append(self, batch: Sequence[LogEntry]) -> None:
        """Append the entries in one transaction: all are durable, or none."""
        ...

    async def compact(self, meeting_id: str) -> int:
        """Fold the log into one snapshot in one transaction; return how many rows it folded."""
        ...


def squash(updates: Sequence[bytes]) -> bytes:
    """One update equal to all of ``updates`` (replay into a fresh doc: much faster than
    ``merge_updates`` on long logs). Pure bytes in and out, so it can run in a worker thread."""
    doc: Doc = Doc()
    for update in updates:
        doc.apply_update(update)
    result: bytes = doc.get_update()
    return result


def salvage(updates: Sequence[bytes]) -> bytes:
    """Like ``squash``, but skips rows pycrdt cannot apply (a panic may poison a doc, so the
    doc is rebuilt from the good rows after each bad one). Slow; only for a failed replay."""
    good: list[bytes] = []
    doc: Doc = Doc()
    for update in updates:
        try:
            doc.apply_update(update)
            good.append(update)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # pyo3 PanicException derives from BaseException
            doc = Doc()
            for known in good:
                doc.apply_update(known)
    result: bytes = doc.get_update()
    return result
