"""The browser's copy of the rights table (``web/src/rights.js``) agrees with the server's."""

from __future__ import annotations

import json
import subprocess

from server.crdt import rights
from tests.conftest import ROOT


def test_browser_rights_module_agrees_with_the_server() -> None:
    script = "import(process.argv[1]).then(m => process.stdout.write(JSON.stringify(m.TABLE)))"
    out = subprocess.run(
        ["node", "-e", script, str(ROOT / "web" / "src" / "rights.js")],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert json.loads(out.stdout) == rights.table()
