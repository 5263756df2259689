"""Keep secrets out of the logs: invite tokens travel in URL paths (``/join/<token>``), which
uvicorn's access log would print. ``RedactSecrets`` rewrites them before any handler sees
them. (Session cookies, passwords and plan text are never logged by our code.)"""

from __future__ import annotations

import logging
import re

SECRET_IN_PATH = re.compile(r"(/join/)[^\s/?\"]+")
REDACTED = r"\1[verborgen]"


def redact(text: str) -> str:
    return SECRET_IN_PATH.sub(REDACTED, text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    """Attach the filter to uvicorn's loggers (idempotent)."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
