"""The message catalogue: every text people read, per language, in ``web/messages/<lang>/``.

Fluent (https://projectfluent.org), one ``.ftl`` file per section and language: the same files
feed the server (``fluent.runtime``) and the browser bundle (``@fluent/bundle``), with CLDR
plurals (``{ $n -> [one] … *[other] … }``, six forms in Arabic) and each language free to add
the variants its grammar needs without touching Dutch.

Code asks for ``t("meeting.save.saved")``: the first part is the file (``meeting.ftl``), the
rest, joined by ``-``, the message id (``save-saved``; a list position is a part too:
``meeting.agenda.steps.0.title`` → ``agenda-steps-0-title``). Fluent ids hold no ``.``, so the
mapping runs both ways; ``tests/test_messages.py`` checks that no key is both a text and a group.

A language is a folder; ``common.language_name`` is its name in its own words. Which one a page
speaks is the request's (``current_language``, set by ``middleware/language.py``); dates and
times follow it through Babel. Dutch is the source: a missing message falls back to it, and a
test fails on any message missing anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number
from fluent.syntax import FluentParser, ast

from .storage.models import DEFAULT_TIME_ZONE, as_utc

MESSAGES = Path(__file__).resolve().parent.parent / "web" / "messages"
DEFAULT_LANGUAGE = "nl"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)
# this device chose (the menu, ?lang=, a link carrying it): a person's own language stays out
language_chosen: ContextVar[bool] = ContextVar("language_chosen", default=False)


@dataclass(frozen=True)
class Language:
    """One folder of the catalogue: its code, its own name, its writing direction."""

    code: str
    name: str
    direction: str  # "ltr" or "rtl"


@cache
def languages() -> tuple[Language, ...]:
    """Every language with a folder, Dutch first, then by code."""
    codes = sorted(p.parent.name for p in MESSAGES.glob("*/common.ftl"))
    codes.sort(key=lambda code: code != DEFAULT_LANGUAGE)
    return tuple(
        Language(code, _text(code, "common", "language_name", {}), direction(code))
        for code in codes
    )


@cache
def language_codes() -> frozenset[str]:
    """The folders, without reading their names (every request's middleware asks)."""
    return frozenset(p.parent.name for p in MESSAGES.glob("*/common.ftl"))


@lru_cache(maxsize=256)  # tags come from documents too: a writer could make up thousands
def direction(lang: str) -> str:
    """The writing direction of a language tag (``ar``, ``pt-BR``): ``rtl`` or ``ltr``; a tag
    Babel does not know is taken as left to right, as a page would show it."""
    try:
        return "rtl" if Locale.parse(lang, sep="-").text_direction == "rtl" else "ltr"
    except (UnknownLocaleError, ValueError):
        return "ltr"


@cache
def ftl_files(code: str) -> dict[str, Path]:
    """The section files of one language: ``{"meeting": …/meeting.ftl, …}``."""
    return {path.stem: path for path in sorted((MESSAGES / code).glob("*.ftl"))}


@cache
def _bundle(code: str, section: str) -> FluentBundle | None:
    """One section of one language, parsed on first use: a page needs a few sections, and
    parsing all of them (~0.2 s a language) would stall the first request of each language."""
    path = ftl_files(code).get(section)
    if path is None:
        return None
    # Isolation marks (FSI … PDI) around placeables keep a Dutch name or a number from
    # reordering a right-to-left sentence; in left-to-right pages they would only be invisible
    # noise in every text (and a box in the PDF), and <bdi>/dir="auto" isolate user text there.
    bundle = FluentBundle([code], use_isolating=direction(code) == "rtl")
    bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


@cache
def parsed(code: str) -> dict[str, tuple[ast.Message, ...]]:
    """Per section, its messages as Fluent's syntax tree, in file order (what read-aloud
    compares a text with: every variant of a plural, not only one formatted form)."""
    parser = FluentParser()
    out: dict[str, tuple[ast.Message, ...]] = {}
    for section, path in ftl_files(code).items():
        resource = parser.parse(path.read_text(encoding="utf-8"))
        out[section] = tuple(e for e in resource.body if isinstance(e, ast.Message))
    return out


@cache
def message_ids(code: str) -> dict[str, tuple[str, ...]]:
    """Per section, its message ids in file order (parsed, so duplicates show)."""
    return {
        section: tuple(message.id.name for message in found)
        for section, found in parsed(code).items()
    }


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every key of one language (``"meeting.save.saved"``) → its Fluent id in its section."""
    return {
        f"{section}.{mid.replace('-', '.')}": mid
        for section, ids in message_ids(language).items()
        for mid in ids
    }


def _split(key: str) -> tuple[str, str]:
    section, _, rest = key.partition(".")
    return section, rest.replace(".", "-")


def _argument(value: object) -> Any:
    # whole numbers plainly (a year is 2026, not 2.026), so plural selection still sees a number
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():  # 20.0 years reads and counts as 20
        value = int(value)
    if isinstance(value, int):
        return fluent_number(value, useGrouping=False)
    if isinstance(value, (float, Decimal, str, date)):
        return value
    return str(value)


def _text(code: str, section: str, mid: str, values: dict[str, object]) -> str:
    bundle = _bundle(code, section)
    if bundle is None or not bundle.has_message(mid):
        if code == DEFAULT_LANGUAGE:
            raise KeyError(f"{section}.{mid.replace('-', '.')}")
        return _text(DEFAULT_LANGUAGE, section, mid, values)
    message = bundle.get_message(mid)
    if message.value is None:
        raise KeyError(f"{section}.{mid.replace('-', '.')}")
    args = {name: _argument(value) for name, value in values.items()}
    text, _errors = bundle.format_pattern(message.value, args)
    return str(text)


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the request's language, placeables filled from ``values``.
    A key missing in Dutch too is a bug (KeyError)."""
    return t_in(current_language.get(), key, **values)


def t_in(language: str, key: str, **values: object) -> str:
    """The text for ``key`` in ``language`` (the shared screen's Dutch column, a person's mail)."""
    section, mid = _split(key)
    return _text(language, section, mid, values)


def language() -> Language:
    """The request's language."""
    code = current_language.get()
    return next((lang for lang in languages() if lang.code == code), languages()[0])


def prefer_language(own: str | None) -> None:
    """The person behind the request reads ``own``: speak it, unless this device chose."""
    if own and own in language_codes() and not language_chosen.get():
        current_language.set(own)


def language_query(own: str) -> str:
    """``?lang=ar`` for a link made for someone who reads Arabic (an invite), so the device
    that opens it speaks their language from the first page; nothing for Dutch."""
    return f"?lang={own}" if own and own != DEFAULT_LANGUAGE and own in language_codes() else ""


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Render in ``code`` for a while (a PDF for a person, a test)."""
    token = current_language.set(code if code in language_codes() else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        current_language.reset(token)


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


def long_date(value: object, zone: Any = LOCAL_TIME) -> str:
    """``2026-11-25`` / a date / a datetime → "25 november 2026" (in the page's language).

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
        return t("common.date_at_time", date=_day(parsed), time=_clock(parsed))
    return _day(parsed)


def long_date_time(value: datetime, zone: Any = LOCAL_TIME) -> str:
    """A stored (UTC) moment in the family's time: "25 november 2026 om 14:05 uur"."""
    local = as_utc(value).astimezone(zone)
    return t("common.date_at_time", date=_day(local), time=_clock(local))


def clock_time(value: datetime, zone: Any = LOCAL_TIME) -> str:
    """A stored (UTC) moment as the family's clock shows it: "14:05". Made on the server, so a
    browser set to another zone (or reading a time without an offset as its own) cannot shift it."""
    return _clock(as_utc(value).astimezone(zone))


def _clock(moment: datetime) -> str:
    return format_time(moment.time(), "short", locale=current_language.get())


def _day(moment: date) -> str:
    day = moment.date() if isinstance(moment, datetime) else moment
    return format_date(day, "long", locale=current_language.get())
