"""server/speech.py: espeak-ng into LAME, the voices, and the audio cache's bounds."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from server import speech
from server.errors import TooBusy
from server.speech import AudioCache


def test_a_language_tag_finds_its_voice() -> None:
    assert speech.voice_for("nl") == "nl"
    assert speech.voice_for("ar") == "ar"
    assert speech.voice_for("pt-BR") == "pt-br"
    assert speech.voice_for("en") == "en-gb"
    assert speech.voice_for("tr-TR") == "tr"  # the language alone, when the region has none
    assert speech.voice_for("tlh") is None


async def test_each_language_is_spoken_in_its_own_voice() -> None:
    dutch = await speech.synthesise("Goedemorgen allemaal.", "nl")
    arabic = await speech.synthesise("صباح الخير للجميع.", "ar")
    assert dutch[:3] == b"ID3" or dutch[0] == 0xFF  # an MP3 stream
    assert dutch != arabic and len(arabic) > 1_000


def fill(cache: AudioCache, family: str, count: int, size: int) -> list[Path]:
    folder = cache.folder(family)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{i:04d}.mp3"
        path.write_bytes(b"x" * size)
        os.utime(path, (1_000 + i, 1_000 + i))  # heard in this order
        paths.append(path)
    return paths


def test_the_cache_keeps_within_both_bounds_dropping_the_least_recently_heard(
    tmp_path: Path,
) -> None:
    cache = AudioCache(tmp_path, family_bytes=5_000, total_bytes=8_000)
    one = fill(cache, "family1", 8, 1_000)
    cache.trim()
    assert cache.size("family1") == 5_000
    assert [p.exists() for p in one] == [False] * 3 + [True] * 5  # the newest stay
    two = fill(cache, "family2", 4, 1_000)
    for i, path in enumerate(two):
        os.utime(path, (2_000 + i, 2_000 + i))  # heard after all of family1
    cache.trim()
    assert cache.size() <= 8_000 and cache.size("family2") == 4_000


async def test_a_second_reading_comes_from_the_cache_and_refreshes_it(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path, 10**6, 10**6)
    first = await cache.spoken("family1", "Hallo.", "nl")
    (path,) = cache.folder("family1").glob("*.mp3")
    os.utime(path, (1_000, 1_000))
    assert await cache.spoken("family1", "Hallo.", "nl") == first
    assert path.stat().st_mtime > 1_000  # heard now: the trim keeps it longest


async def test_readings_at_once_share_one_synthesis_and_too_many_wait_for_none(
    tmp_path: Path,
) -> None:
    cache = AudioCache(tmp_path, 10**6, 10**6, at_once=1, waiting=1)
    same = await asyncio.gather(*(cache.spoken("f", "Een twee drie.", "nl") for _ in range(5)))
    assert len({bytes(a) for a in same}) == 1
    assert len(list(cache.folder("f").glob("*.mp3"))) == 1
    texts = [f"Zin nummer {i}." for i in range(4)]
    results = await asyncio.gather(
        *(cache.spoken("f", t, "nl") for t in texts), return_exceptions=True
    )
    assert any(isinstance(r, TooBusy) for r in results)
    assert any(isinstance(r, bytes) for r in results)


def test_a_path_is_no_place_for_anything_but_an_id(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        AudioCache(tmp_path, 1, 1).folder("../etc")


async def test_a_reading_that_ends_after_the_erasure_keeps_nothing(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path, 10**6, 10**6)
    reading = asyncio.create_task(cache.spoken("family1", "Nog even dit.", "nl"))
    cache.erase("family1")  # before the reading could keep anything
    assert await reading  # the one who asked still hears it
    assert not cache.folder("family1").exists()
