"""Keep secrets out of the logs, whoever logs and wherever the line goes.

Invite tokens travel in URL paths (``/join/<token>``, and account invitations'
``/account/<token>``), which uvicorn's access log and our own refusal lines print, and so would
a join code in a query string; session cookies (``rt_<id>=<token>``) and CSRF form fields could
reach a line that quotes a request. ``install`` makes every log record redacted as it is
created (a record factory), so no handler, logger or later ``logging`` configuration can miss
it. Passwords and plan text are never logged by our code.
"""

from __future__ import annotations

import logging
import re
from typing import Any

SECRETS = (
    (re.compile(r"(/join/)[^\s/?\"']+"), r"\1[verborgen]"),
    (re.compile(r"(/account/)[^\s/?\"']+"), r"\1[verborgen]"),
    (re.compile(r"(rt_[0-9a-f]+=)[^;\s\"']+"), r"\1[verborgen]"),
    (re.compile(r"(csrf_token=)[^&\s\"']+"), r"\1[verborgen]"),
    # the QR code keeps the join code in the fragment, which never reaches us; a link someone
    # made by hand (/code?code=...) would print a live meeting's door in the access log
    (re.compile(r"([?&]code=)[^&\s\"']+"), r"\1[verborgen]"),
)


def redact(text: str) -> str:
    for pattern, replacement in SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    """Redact every record of every logger from now on (idempotent)."""
    made = logging.getLogRecordFactory()
    if getattr(made, "redacts", False):
        return
    redactor = RedactSecrets()

    def redacted(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = made(*args, **kwargs)
        redactor.filter(record)
        return record

    redacted.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacted)
