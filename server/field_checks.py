"""What people type into a family's file, checked before anything is stored.

Each check returns the value as it will be stored, or raises ``BadInput`` with a stable code
``<field>_<problem>`` (its Dutch text is ``errors.input.<code>``). The rules, the same for the
pages and the JSON API: names are one line, not empty, at most ``NAME_MAX`` characters, and
never hold ``<`` or ``>`` (no markup in a name: templates escape anyway, but a municipal system
reading our JSON might not); an e-mail address has one ``@`` and a domain with a dot; a phone
number is digits with spaces, dashes, brackets and a leading ``+``; a birth year lies between
``FIRST_YEAR`` and this year.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .errors import BadInput
from .messages import LOCAL_TIME, language_codes

NAME_MAX = 200
LINE_MAX = 200  # relation, organisation, function, place, title
TEXT_MAX = 2000  # what someone offers, a note about the family
FIRST_YEAR = 1900
MARKUP = re.compile(r"[<>]")
EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>.]{2,}")
EMAIL_MAX = 254  # RFC 5321's limit of a forward path
PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{5,24}")
PHONE_DIGITS_MIN = 6


def line(value: object, field: str, *, required: bool = False, limit: int = LINE_MAX) -> str:
    """One line of text: inner whitespace collapsed to single spaces."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"{field}_invalid")
    clean = " ".join(value.split())
    return _checked(clean, field, required, limit)


def text(value: object, field: str, *, limit: int = TEXT_MAX) -> str:
    """A few lines of text (what someone offers, a note): each line trimmed, empty ones out."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"{field}_invalid")
    clean = "\n".join(" ".join(part.split()) for part in value.splitlines() if part.strip())
    return _checked(clean, field, False, limit)


def name(value: object, field: str = "name") -> str:
    return line(value, field, required=True, limit=NAME_MAX)


def _checked(clean: str, field: str, required: bool, limit: int) -> str:
    if required and not clean:
        raise BadInput(f"{field}_empty")
    if len(clean) > limit:
        raise BadInput(f"{field}_too_long")
    if MARKUP.search(clean):
        raise BadInput(f"{field}_html")
    return clean


def email(value: object) -> str:
    clean = line(value, "email", limit=EMAIL_MAX)
    if clean and not EMAIL.fullmatch(clean):
        raise BadInput("email_invalid")
    return clean


def phone(value: object) -> str:
    clean = line(value, "phone", limit=40)
    digits = sum(ch.isdigit() for ch in clean)
    if clean and (not PHONE.fullmatch(clean) or digits < PHONE_DIGITS_MIN):
        raise BadInput("phone_invalid")
    return clean


def birth_year(value: object, now: datetime | None = None) -> int | None:
    """A year of four digits (a number, or text from a form field); empty is no year."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadInput("birth_year_invalid")
    this_year = (now or datetime.now(LOCAL_TIME)).year
    if value > this_year:
        raise BadInput("birth_year_future")
    if value < FIRST_YEAR:
        raise BadInput("birth_year_invalid")
    return value


def starts_at(value: object, now: datetime | None = None) -> datetime | None:
    """When a planned round table begins: ISO 8601 (``2026-12-10T14:00``; without an offset it
    is Dutch local time, as the page's date and time fields mean it), not in the past."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadInput("starts_at_invalid")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadInput("starts_at_invalid") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    moment = moment.astimezone(UTC)
    if moment < (now or datetime.now(UTC)):
        raise BadInput("starts_at_past")
    return moment


def language(value: object) -> str:
    """A catalogue folder's code (``en``, ``ar``), or empty for Dutch."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or value not in language_codes():
        raise BadInput("language_invalid")
    return value
