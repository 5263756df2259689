"""Speech on the server, for read-aloud where the browser has no voice for a text's language.

espeak-ng speaks the text (a WAV stream on its stdout), LAME encodes it to MP3 as it comes
(the two run as one pipeline, so encoding overlaps speaking). The text goes in on stdin, never
on a command line (``ps`` shows those to every user of the machine), and is never logged.

Why MP3 and not Opus: every browser plays MP3 in ``<audio>``; Safari plays Ogg Opus only
from 18.4 (older iPads, which families keep for years, do not), and opusenc took ~3x the CPU
of LAME for the same 30-word goal here (it resamples to 48 kHz first). Speech at 32 kbit/s
mono is ~4 KB a second.

``AudioCache`` keeps what was spoken, one folder per family named by the family id and one
file per content hash (voice, rate and text), so that erasing a family erases its audio
(``server/privacy/erasure.py``) and a second press of the same button costs nothing. It is
bounded twice: per family and in total; past a bound the least recently heard files go.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import TooBusy
from .settings import Settings

log = logging.getLogger(__name__)

ESPEAK = "espeak-ng"
LAME = "lame"
RATE = 150  # words a minute: espeak's default 175 is quick for someone who reads with effort
SUFFIX = ".mp3"
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class SpeechError(Exception):
    """espeak-ng or LAME failed, or is not installed (an operator's problem, not the user's)."""


@cache
def voices() -> frozenset[str]:
    """The language tags espeak-ng has a voice for (``nl``, ``en-gb``, ``pt-br``…)."""
    try:
        listing = subprocess.run(
            [ESPEAK, "--voices"], capture_output=True, text=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise SpeechError(f"{ESPEAK} --voices failed: {exc}") from exc
    return frozenset(line.split()[1].lower() for line in listing.splitlines()[1:] if line.split())


# a language whose plain tag has no voice of its own, but a regional one does
_REGIONAL = {"en": "en-gb", "fr": "fr-fr"}


def voice_for(lang: str) -> str | None:
    """espeak-ng's voice for a BCP 47 tag (``nl``, ``pt-BR``, ``ar``), or None: the full tag,
    else its language alone."""
    tag = lang.strip().lower()
    known = voices()
    for candidate in (tag, tag.split("-")[0]):
        candidate = _REGIONAL.get(candidate, candidate)
        if candidate in known:
            return candidate
    return None


async def synthesise(text: str, voice: str) -> bytes:
    """``text`` spoken by ``voice``, as MP3 bytes."""
    read_end, write_end = os.pipe()
    try:
        espeak = await asyncio.create_subprocess_exec(
            *(ESPEAK, "-v", voice, "-s", str(RATE), "--stdin", "--stdout"),
            stdin=asyncio.subprocess.PIPE,
            stdout=write_end,
            stderr=asyncio.subprocess.DEVNULL,
        )
        lame = await asyncio.create_subprocess_exec(  # mono, 32 kbit/s, -q 7: fast, fine for speech
            *(LAME, "--quiet", "-m", "m", "-b", "32", "-q", "7", "-", "-"),
            stdin=read_end,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError as exc:
        raise SpeechError(f"cannot start {ESPEAK} | {LAME}: {exc}") from exc
    finally:  # the children hold their ends now; ours would keep LAME from seeing the end
        os.close(read_end)
        os.close(write_end)
    (audio, _), _ = await asyncio.gather(
        lame.communicate(), espeak.communicate(text.encode("utf-8"))
    )
    if espeak.returncode or lame.returncode or not audio:
        raise SpeechError(f"speech failed: espeak {espeak.returncode}, lame {lame.returncode}")
    return audio


def content_key(voice: str, text: str) -> str:
    return hashlib.sha256(f"{voice}\0{RATE}\0{text}".encode()).hexdigest()


@dataclass
class AudioCache:
    """Spoken texts on disk, a folder per family; bounded per family and in total."""

    root: Path
    family_bytes: int
    total_bytes: int
    at_once: int = 2  # syntheses at a time (two cores: the meetings must keep theirs)
    waiting: int = 16  # syntheses in line; beyond that TooBusy at once
    _busy: dict[str, asyncio.Future[bytes]] = field(default_factory=dict, repr=False)
    _slots: asyncio.Semaphore | None = field(default=None, repr=False)
    _queued: int = 0
    _erased: set[str] = field(default_factory=set, repr=False)  # a late synthesis keeps nothing

    @classmethod
    def of(cls, settings: Settings) -> AudioCache:
        return cls(
            settings.audio_dir,
            int(settings.read_aloud_family_mb * 1e6),
            int(settings.read_aloud_total_mb * 1e6),
        )

    def folder(self, family_id: str) -> Path:
        if not _SAFE_ID.fullmatch(family_id):  # ids are ours, but a path is no place to trust
            raise ValueError("not a family id")
        return self.root / family_id

    async def spoken(self, family_id: str, text: str, voice: str) -> bytes:
        """The audio of ``text``: from the cache, else synthesised once (two presses of the
        same button at once wait for the same synthesis) and kept."""
        path = self.folder(family_id) / (content_key(voice, text) + SUFFIX)
        hit = await asyncio.to_thread(_read, path)
        if hit is not None:
            return hit
        waiting = self._busy.get(str(path))
        if waiting is not None:
            return await asyncio.shield(waiting)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._busy[str(path)] = future
        try:
            audio = await self._synthesise(text, voice)
            if family_id not in self._erased:  # erased while it spoke: not kept again
                await asyncio.to_thread(self._keep, path, audio)
            future.set_result(audio)
            return audio
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody else may be waiting
            raise
        finally:
            del self._busy[str(path)]

    async def _synthesise(self, text: str, voice: str) -> bytes:
        if self._queued >= self.at_once + self.waiting:
            raise TooBusy(f"{self._queued} syntheses queued")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.at_once)  # made in the loop that uses it
        self._queued += 1
        try:
            async with self._slots:
                return await synthesise(text, voice)
        finally:
            self._queued -= 1

    def _keep(self, path: Path, audio: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as out:
            out.write(audio)
        os.replace(out.name, path)  # readers see the whole file or none
        self.trim()

    def trim(self) -> None:
        """Drop the least recently heard files past each family's bound, then past the total."""
        kept: list[tuple[float, int, Path]] = []
        for folder in _folders(self.root):
            files = sorted(_files(folder), reverse=True)  # newest first
            used = 0
            for heard, size, path in files:
                used += size
                if used > self.family_bytes:
                    path.unlink(missing_ok=True)
                else:
                    kept.append((heard, size, path))
        used = 0
        for _, size, path in sorted(kept, reverse=True):
            used += size
            if used > self.total_bytes:
                path.unlink(missing_ok=True)

    def erase(self, family_id: str) -> None:
        """Every spoken text of the family goes (its erasure); one still being spoken is not
        kept when it is done."""
        self._erased.add(family_id)
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(self.folder(family_id))

    def size(self, family_id: str | None = None) -> int:
        folders = [self.folder(family_id)] if family_id else list(_folders(self.root))
        return sum(size for folder in folders for _, size, _ in _files(folder))


def _read(path: Path) -> bytes | None:
    try:
        audio = path.read_bytes()
    except FileNotFoundError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # heard now: the trim keeps recently heard files longest
    return audio


def _folders(root: Path) -> Iterator[Path]:
    with contextlib.suppress(FileNotFoundError):
        yield from (p for p in root.iterdir() if p.is_dir())


def _files(folder: Path) -> Iterator[tuple[float, int, Path]]:
    with contextlib.suppress(FileNotFoundError):
        for path in folder.glob("*" + SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                yield stat.st_mtime, stat.st_size, path
