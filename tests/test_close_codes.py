"""The browser's close codes (web/src/close-codes.js) are the server's CloseCode, name for name."""

from __future__ import annotations

from server.crdt.close_codes import CloseCode
from server.messages import catalogue
from tests.browser_module import browser_export
from tests.conftest import ROOT

MODULE = ROOT / "web" / "src" / "close-codes.js"
# the refusals web/src/meeting.js explains in words (REFUSALS there); others get "other"
EXPLAINED = (
    CloseCode.NOT_SIGNED_IN,
    CloseCode.NOT_ALLOWED,
    CloseCode.REMOVED,
    CloseCode.UPDATE_REFUSED,
    CloseCode.TOO_MANY,
)


def browser_close_codes() -> dict[str, int]:
    answer = browser_export(
        "close-codes.js", "{ codes: m.CloseCode, frozen: Object.isFrozen(m.CloseCode) }"
    )
    assert answer["frozen"], "CloseCode in close-codes.js should be frozen"
    codes: dict[str, int] = answer["codes"]
    return codes


def test_browser_close_codes_agree_with_the_server() -> None:
    assert browser_close_codes() == {code.name: code.value for code in CloseCode}


def test_every_refusal_the_page_explains_has_a_message() -> None:
    known = catalogue()
    for code in EXPLAINED:
        assert f"meeting.refused.{code.value}" in known, f"meeting.refused.{code.value} is missing"
