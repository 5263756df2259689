"""The message catalogue: every text people read, per language, in ``web/messages/<lang>/``.

Each JSON file is one section (``meeting.json`` → keys ``meeting.*``); templates call
``t("meeting.saved")`` and the browser bundle imports the same files. Dutch at B1 level."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

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
