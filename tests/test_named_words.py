"""Every named word the server uses has the word people read in the catalogue, and every
error its text: a new role, status, audit action or error cannot reach a page unnamed."""

from __future__ import annotations

import enum

import pytest

from server import errors
from server.access.sessions import Admission
from server.crdt.schema import Attendance, Role
from server.messages import catalogue
from server.privacy.audit import Action, Outcome
from server.storage.models import MeetingStatus

WORDS: list[tuple[type[enum.StrEnum], str]] = [
    (Role, "common.roles"),
    (Attendance, "common.attendance"),
    (MeetingStatus, "common.meeting_statuses"),
    (Admission, "common.admissions"),
    (Action, "audit.actions"),
    (Outcome, "audit.outcomes"),
]


@pytest.mark.parametrize(("words", "prefix"), WORDS, ids=[w.__name__ for w, _ in WORDS])
def test_each_word_has_its_text(words: type[enum.StrEnum], prefix: str) -> None:
    missing = [w.value for w in words if f"{prefix}.{w.value}" not in catalogue()]
    assert not missing, f"{prefix}: no text for {missing}"


def _error_classes() -> list[type[errors.RondetafelError]]:
    found, todo = [], [errors.RondetafelError]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__name__.startswith("_"):  # a mixin, never raised itself
            found.append(cls)
    return sorted(set(found), key=lambda c: c.__name__)


REASONS = {
    errors.InviteError: ("unknown", "expired", "used"),
    errors.AccountInviteError: ("unknown", "expired", "used"),
    errors.PlanError: ("already_live", "not_live", "closed", "not_planned"),
    errors.FileError: ("family_closed", "meeting_live", "remove_yourself", "no_live_meeting"),
    errors.BadInput: tuple(
        key.removeprefix("errors.input.") for key in catalogue() if key.startswith("errors.input.")
    ),
    errors.JoinCodeRefused: ("wrong", "too_many", "meeting_busy"),
    errors.ForeignRequest: ("bad_origin", "bad_token"),
}


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_each_error_has_its_text_and_codes(cls: type[errors.RondetafelError]) -> None:
    instances = [cls(r) for r in REASONS[cls]] if cls in REASONS else [cls()]
    for exc in instances:
        assert exc.key in catalogue(), f"{cls.__name__}: no text {exc.key}"
        assert 400 <= exc.status < 600 and exc.code
        assert exc.close_code in set(errors.CloseCode)


def test_the_tree_in_the_docstring_names_every_error() -> None:
    assert errors.__doc__ is not None
    for cls in _error_classes():
        assert cls.__name__ in errors.__doc__, f"draw {cls.__name__} in errors.py's tree"


def test_settings_never_show_the_secret_key() -> None:
    from server.settings import Settings

    shown = repr(Settings(secret_key="a-real-secret-of-this-server"))
    assert "a-real-secret" not in shown and "port=" in shown


def test_each_field_check_has_its_text() -> None:
    """Every code ``server/field_checks.py`` can raise for a field has its Dutch text."""
    fields = ("name", "relation", "organisation", "offers", "note", "title", "place")
    codes = [f"{f}_{p}" for f in fields for p in ("too_long", "html", "invalid")]
    codes += ["name_empty", "email_invalid", "phone_invalid", "birth_year_invalid"]
    codes += ["birth_year_future", "starts_at_invalid", "starts_at_past", "role_invalid"]
    missing = [c for c in codes if f"errors.input.{c}" not in catalogue()]
    assert not missing
