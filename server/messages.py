"""The message catalogue: every text people read, per language, in ``web/messages/<lang>/``.

Each JSON file is one section (``meeting.json`` → keys ``meeting.*``); templates call
``t("meeting.saved")`` and the browser bundle imports the same files. Dutch at B1 level."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .storage.models import DEFAULT_TIME_ZONE, as_utc

MESSAGES = Path(__file__).resolve().parent.parent / "web" / "messages"
DEFAULT_LANGUAGE = "nl"


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    flat: dict[str, str] = {}
    for path in sorted((MESSAGES / language).glob("*.json")):
        _flatten(path.stem, json.loads(path.read_text(encoding="utf-8")), flat)
    return flat


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}", value, out)
    else:
        out[prefix] = str(node)


def t(key: str, **values: object) -> str:
    """The text for ``key``, with ``{name}`` placeholders filled in. A missing key is a bug."""
    text = catalogue()[key]
    return text.format(**values) if values else text


@cache
def time_zone(name: str = DEFAULT_TIME_ZONE) -> Any:
    """The zone a family's times are shown in (``Family.time_zone``); an unknown name, or no
    time zone database at all, shows Europe/Amsterdam, else UTC, rather than fail a page."""
    for candidate in (name, DEFAULT_TIME_ZONE):
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return UTC


LOCAL_TIME: Any = time_zone()
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(value: object, zone: Any = LOCAL_TIME) -> str:
    """``2026-11-25`` / a date / a datetime → "25 november 2026".

    Datetimes are shown in ``zone``, the family's time (stored times are UTC; SQLite returns
    them naive); ISO text with a time gets "om 14:00 uur". Text that is not a date is returned
    unchanged (people may type anything into a live plan)."""
    if isinstance(value, datetime):
        return _day(as_utc(value).astimezone(zone))
    if isinstance(value, date):
        return _day(value)
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return value
    if "T" in value or " " in value.strip():
        return t("common.date_at_time", date=_day(parsed), time=f"{parsed:%H:%M}")
    return _day(parsed)


def dutch_date_time(value: datetime, zone: Any = LOCAL_TIME) -> str:
    """A stored (UTC) moment in the family's time: "25 november 2026 om 14:05 uur"."""
    local = as_utc(value).astimezone(zone)
    return t("common.date_at_time", date=_day(local), time=f"{local:%H:%M}")


def clock_time(value: datetime, zone: Any = LOCAL_TIME) -> str:
    """A stored (UTC) moment as the family's clock shows it: "14:05". Made on the server, so a
    browser set to another zone (or reading a time without an offset as its own) cannot shift it."""
    return f"{as_utc(value).astimezone(zone):%H:%M}"


def _day(moment: date) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
