"""The one error hierarchy: every way a request, a connection or a command is refused.

Each class knows how it leaves the server: ``status`` (HTTP), ``close_code`` (websocket),
``code`` (stable, in JSON bodies and tests) and ``key`` (the catalogue text people read,
``errors.<code>`` unless said otherwise; no Dutch in Python). Raise it where the decision is
made; ``app.py``'s exception handlers render it once (JSON under ``/api``, a page elsewhere),
the websocket endpoint closes once with its code, and the command line prints it and exits 2.

    RondetafelError
    ├── Refused                      who is asking may not have this (the guard audits first)
    │   ├── NotSignedIn              401 · 4401  no valid session
    │   ├── NotFound                 404 · 4403  unknown id, or another family's: one answer
    │   │   ├── UnknownPerson        404         a name not on the tablet's list
    │   │   ├── NoRequest            404         an admission request that is gone
    │   │   ├── NotAtTable           404         someone no longer at the table
    │   │   └── NotReadable          404         read aloud: words that are not the family's
    │   ├── NotAdmitted              403 · 4403  a tablet waiting for, or refused, admission
    │   │   └── Removed              403 · 4410  taken out of the meeting by the coordinator
    │   ├── WrongRole                403 · 4403  signed in, but this is another role's to do
    │   │   └── NotYourself          403         the coordinator cannot remove themselves
    │   ├── TooManySockets           429 · 4429  a session with its most sockets open already
    │   ├── ForeignRequest           403         CSRF: not sent by one of our own pages
    │   └── JoinCodeRefused          404/429     a wrong join code, or too many tries
    ├── BadRequest                   400         a malformed parameter
    │   ├── BadInput                 400         a field people typed that cannot be stored
    │   ├── TooLarge                 413         a body beyond what our forms send
    │   └── NoVoice                  400         read aloud: no voice for that language
    ├── TooBusy                      429         too many costly checks waiting: try again soon
    ├── Fenced                       503 · 1001  this process's lease ran out: it writes no more
    ├── Conflict                     409         not possible in the meeting's present state
    │   ├── NotLive                  409         the meeting is no longer live
    │   ├── PlanError                409         start or close a meeting: already live, closed
    │   └── FileError                409         a family's file that cannot change so: closed
    ├── InviteError                  410         a personal link that cannot be used
    ├── AccountInviteError           410         a link to set a password that cannot be used
    └── OperatorError                exit 2      the command line: what the operator must fix
        ├── AccountError             a staff account that cannot be made or changed (the
        │                            web pages show its ``reason`` in Dutch)
        ├── BackupError              a backup that cannot be written
        └── ErasureError             an erasure that could not finish
"""

from __future__ import annotations

from typing import ClassVar

from .crdt.close_codes import CloseCode


class RondetafelError(Exception):
    status: ClassVar[int] = 500
    close_code: ClassVar[CloseCode] = CloseCode.BROKEN
    code: ClassVar[str] = "error"

    def __init__(self, detail: str = "", **values: object):
        """``detail`` is for the log and the audit row (English, no personal data); ``values``
        fill the catalogue text's placeholders."""
        super().__init__(detail or self.code)
        self.detail = detail
        self.values = values

    @property
    def key(self) -> str:
        return f"errors.{self.code}"


class _Reasoned(RondetafelError):
    """An error whose text depends on why: ``key`` is ``<prefix><reason>``."""

    prefix: ClassVar[str]

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def key(self) -> str:
        return self.prefix + self.reason


class Refused(RondetafelError):
    status = 403
    close_code = CloseCode.NOT_ALLOWED
    code = "not_allowed"


class NotSignedIn(Refused):
    status = 401
    close_code = CloseCode.NOT_SIGNED_IN
    code = "not_signed_in"


class NotFound(Refused):
    status = 404
    code = "not_found"


class UnknownPerson(NotFound):
    code = "unknown_person"


class NoRequest(NotFound):
    code = "no_request"


class NotAtTable(NotFound):
    code = "not_at_table"


class NotReadable(NotFound):
    """Read aloud: the text is not the family's (nor the catalogue's). The same 404 for
    another family's words and for words nobody wrote: neither can be probed."""

    code = "not_readable"

    @property
    def key(self) -> str:
        return "voice.not_readable"


class NotAdmitted(Refused):
    code = "not_admitted"


class Removed(NotAdmitted):
    """Still ``not_admitted`` in JSON (the page's script treats both alike); its own close code
    tells a tablet to stop reconnecting and say why."""

    close_code = CloseCode.REMOVED


class WrongRole(Refused):
    code = "not_allowed"

    def __init__(self, detail: str = "", principal: object = None, **values: object):
        super().__init__(detail, **values)
        self.principal = principal  # for the page that offers what this role may do


class NotYourself(WrongRole):
    code = "not_yourself"


class TooManySockets(Refused):
    status = 429
    close_code = CloseCode.TOO_MANY
    code = "too_many_sockets"


class ForeignRequest(Refused):
    """The CSRF middleware's refusal; ``code`` says which check failed."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # type: ignore[misc]  # bad_origin or bad_token, one text for both

    @property
    def key(self) -> str:
        return "errors.foreign_request"


class JoinCodeRefused(_Reasoned, Refused):
    """A typed join code that opens nothing: ``wrong`` (404), ``too_many`` tries from this
    address or ``meeting_busy`` (429). The code page shows it beside the field."""

    code = "join_code"
    prefix = "join.code_"

    def __init__(self, reason: str, typed: str = ""):
        """``typed`` is what was typed, shown again in the field to correct it; never in
        ``detail``, so it reaches no log."""
        super().__init__(reason)
        self.status = 404 if reason == "wrong" else 429  # type: ignore[misc]
        self.typed = typed


class BadRequest(RondetafelError):
    status = 400
    close_code = CloseCode.INVALID
    code = "bad_request"


class BadInput(_Reasoned, BadRequest):
    """A field that cannot be stored as typed; the reason is ``<field>_<problem>``
    (``name_empty``, ``name_too_long``, ``name_html``, ``email_invalid``,
    ``birth_year_future``…), which is also the stable JSON code. Nothing is stored."""

    prefix = "errors.input."

    def __init__(self, reason: str):
        super().__init__(reason)
        self.code = reason  # type: ignore[misc]


class TooLarge(BadRequest):
    status = 413
    close_code = CloseCode.TOO_BIG
    code = "too_large"


class NoVoice(BadRequest):
    code = "no_voice"

    @property
    def key(self) -> str:
        return "voice.no_voice"


class TooBusy(RondetafelError):
    status = 429
    close_code = CloseCode.TOO_SLOW
    code = "busy"


class Fenced(RondetafelError):
    """An append refused because this process's lease expired (``server/cluster/lease.py``);
    the process stops, and its clients reconnect to another."""

    status = 503
    close_code = CloseCode.GOING_AWAY
    code = "fenced"


class Conflict(RondetafelError):
    status = 409
    code = "conflict"


class NotLive(Conflict):
    code = "not_live"


class PlanError(_Reasoned, Conflict):
    """Starting or closing a meeting that cannot be: ``already_live``, ``not_live``, ``closed``,
    ``not_planned`` (start a meeting that is no longer planned). JSON code ``plan_<reason>``."""

    prefix = "errors.plan_"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.code = f"plan_{reason}"  # type: ignore[misc]  # e.g. plan_already_live


class FileError(_Reasoned, Conflict):
    """A change the family's file does not allow now: ``family_closed`` (support ended: the
    file is read-only), ``meeting_live`` (close the meeting before the file),
    ``remove_yourself`` (hand the family over first), ``no_live_meeting`` (a link needs one)."""

    prefix = "errors.file_"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.code = reason  # type: ignore[misc]


class InviteError(_Reasoned):
    """An invite link that cannot be used: ``unknown``, ``expired`` or ``used``."""

    status = 410  # gone: a link that worked, or never will
    code = "invite"
    prefix = "errors.invite_"


class AccountInviteError(_Reasoned):
    """A link to set a staff password that cannot be used: ``unknown``, ``expired`` or
    ``used``."""

    status = 410
    code = "account_invite"
    prefix = "errors.account_invite_"


class OperatorError(RondetafelError):
    """A command that cannot do what was asked; the message says what to fix (English: the
    command line is for the operator, not the people at the table)."""

    code = "operator"
    exit_code: ClassVar[int] = 2


class AccountError(OperatorError):
    """``detail`` is the English sentence the command line prints; ``reason`` picks the Dutch
    text a web page shows (``errors.account_<reason>``)."""

    code = "account"
    status = 400

    def __init__(self, detail: str = "", reason: str = "invalid"):
        super().__init__(detail)
        self.reason = reason

    @property
    def key(self) -> str:
        return f"errors.account_{self.reason}"


class BackupError(OperatorError):
    code = "backup"


class ErasureError(OperatorError):
    code = "erasure"
    exit_code = 1  # the family is partly erased: not a mistake in the command
