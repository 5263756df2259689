"""Join codes: the short code on the shared screen that lets a tablet ask to join a meeting.

Why guessing is hopeless: a code is 8 characters from a 29-character alphabet without look-alikes
(no 0/O, 1/I/L, U/V): 29**8 ≈ 5.0e11 codes (39 bits). A code works only while its meeting is live
and only ever leads to a *request* the coordinator must admit by name. Attempts are limited per
client IP (``join_attempts_per_ip``/min) and wrong codes across all clients together
(``join_failures_global``/min, default 60 → 86,400 a day): even with 1,000 meetings live at
every moment, a day of guessing at that cap finds one with chance 86,400 × 1,000 / 5.0e11 ≈
1.7e-4. Once the global budget is spent every attempt waits (429), right or wrong; that lets an
attacker hold up joining by code for a while, never guess faster. Personal links keep working.

Wrong codes are logged with the client address only, never the code itself.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from .limits import AttemptLimiter, Attempts
from .settings import Settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # no 0/O, 1/I/L, U/V: read aloud and typed at a table
LENGTH = 8
TYPED_MAX = 20  # the code field's maxlength: a code with its dash and a few slips
_SHAPE = re.compile(r"[A-Z0-9]{4,12}")
_SEPARATORS = re.compile(r"[\s\-.]+")
GLOBAL = "*"


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """``ABCD2345`` → ``ABCD-2345``: two groups of four are easier to read and to type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code


def normalise(typed: str) -> str | None:
    """What someone typed (any case, spaces or dashes) as a stored code, or None when it
    cannot be one (then it is not even looked up)."""
    code = _SEPARATORS.sub("", typed[:40]).upper()
    return code if _SHAPE.fullmatch(code) else None


@dataclass
class JoinGuard:
    """The in-memory rate limits on join codes (one per server process)."""

    per_ip: Attempts
    failures: Attempts
    per_meeting: Attempts

    @classmethod
    def from_settings(cls, settings: Settings) -> JoinGuard:
        return cls(
            AttemptLimiter(settings.join_attempts_per_ip),
            AttemptLimiter(settings.join_failures_global),
            AttemptLimiter(settings.join_requests_per_meeting),
        )

    async def admit_attempt(self, client: str) -> bool:
        """Before looking a code up: this client's budget, and one wrong code of the global
        budget, taken in advance (``right`` gives it back): attempts sent at once cannot all
        pass before any is counted."""
        if not await self.failures.take(GLOBAL):
            return False
        if not await self.per_ip.take(client):
            await self.failures.give_back(GLOBAL)
            return False
        return True

    async def right(self) -> None:
        """The code opened a meeting: it was not a wrong one."""
        await self.failures.give_back(GLOBAL)

    async def admit_request(self, meeting_id: str) -> bool:
        return await self.per_meeting.take(meeting_id)
