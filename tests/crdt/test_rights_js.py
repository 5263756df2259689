"""The browser's copy of the rights table (``web/src/rights.js``) agrees with the server's."""

from __future__ import annotations

from server.crdt import rights
from tests.browser_module import browser_export


def test_browser_rights_module_agrees_with_the_server() -> None:
    assert browser_export("rights.js", "m.TABLE") == rights.table()
