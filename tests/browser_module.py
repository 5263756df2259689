"""Read an export of a browser module (``web/src/<name>``) in Node, as JSON: how the tests check
that the browser's copies of server tables (schema, rights, close codes) agree with the server."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests.conftest import ROOT


def browser_export(module: str, expression: str) -> Any:
    """``expression`` evaluated with the module as ``m`` (e.g. ``m.TABLE``)."""
    script = (
        f"import(process.argv[1]).then(m => process.stdout.write(JSON.stringify({expression})))"
    )
    out = subprocess.run(
        ["node", "-e", script, str(ROOT / "web" / "src" / module)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(out.stdout)
