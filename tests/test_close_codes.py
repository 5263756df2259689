"""The browser's close codes (web/src/close-codes.js) are the server's CloseCode, name for name."""

from __future__ import annotations

import json
import subprocess

from server.crdt.close_codes import CloseCode
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
    script = (
        "import(process.argv[1]).then(m => process.stdout.write(JSON.stringify("
        "{ codes: m.CloseCode, frozen: Object.isFrozen(m.CloseCode) })))"
    )
    out = subprocess.run(
        ["node", "-e", script, str(MODULE)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    answer = json.loads(out.stdout)
    assert answer["frozen"], "CloseCode in close-codes.js should be frozen"
    codes: dict[str, int] = answer["codes"]
    return codes


def test_browser_close_codes_agree_with_the_server() -> None:
    assert browser_close_codes() == {code.name: code.value for code in CloseCode}


def test_every_refusal_the_page_explains_has_a_message() -> None:
    catalogue = json.loads((ROOT / "web" / "messages" / "nl" / "meeting.json").read_text())
    refused = catalogue["refused"]
    for code in EXPLAINED:
        assert refused.get(str(code.value)), f"meeting.refused.{code.value} is missing"
