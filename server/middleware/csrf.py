"""CSRF protection for every state-changing request (anything but GET, HEAD, OPTIONS).

Two checks, both in this one middleware so a new route cannot forget them:

1. **Origin.** A browser's ``Origin`` must be one of ours (``settings.origins``); a missing
   Origin passes (non-browser clients cannot ride a victim's cookie).
2. **Token.** A request that carries a session must carry that session's token, in the
   ``X-CSRF-Token`` header (fetch) or the ``csrf_token`` form field. The token is an HMAC of
   the session id under the secret key, so it needs no storage, differs per session and
   cannot be computed by another site. Pages put it in every form and in
   ``<meta name="csrf-token">`` for scripts (``csrf_token()`` in templates).

The login form has no session yet: it uses a double-submit token (a random cookie
``rt-csrf`` that must equal the form field), so another site cannot log a browser into an
account of its choosing. Invite confirmations (``POST /join/{token}``) need no extra token:
the 256-bit invite token in the path is the secret another site does not have. A request
with no session at all has no authority to borrow; its route answers 401.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..access import guard
from ..access.sessions import FIELD, HEADER, PRE_SESSION_PATHS, expected_token
from ..errors import ForeignRequest, RondetafelError, TooLarge
from ..privacy import audit
from ..privacy.audit import Action, Outcome
from ..services import services
from ..settings import Settings

ErrorRenderer = Callable[[Request, RondetafelError], Response]

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
INVITE_PATH = re.compile(r"^/join/[^/]+$")
BODY_MAX = 64 * 1024  # our forms are a few short fields


class CsrfProtection:
    """Pure ASGI middleware: checks unsafe HTTP requests before any route sees them."""

    def __init__(self, app: ASGIApp, settings: Settings, render: ErrorRenderer):
        """``render`` turns a refusal into the response (``app.render_error``: JSON under
        ``/api``, a page elsewhere); middleware runs outside Starlette's exception handlers."""
        self.app = app
        self.settings = settings
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        conn = Request(scope)
        if not same_origin(conn.headers.get("origin"), self.settings.origins):
            await self._refuse(conn, ForeignRequest("bad_origin"), scope, receive, send)
            return
        expected = None if INVITE_PATH.match(conn.url.path) else self._expected(conn)
        if expected is None and conn.url.path not in PRE_SESSION_PATHS:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            await self._refuse(conn, TooLarge(f"body over {BODY_MAX} bytes"), scope, receive, send)
            return
        given = conn.headers.get(HEADER) or _form_field(conn, body)
        if not expected or not given or not hmac.compare_digest(given, expected):
            await self._refuse(conn, ForeignRequest("bad_token"), scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    def _expected(self, conn: HTTPConnection) -> str | None:
        return expected_token(conn, self.settings.secret_key)

    async def _refuse(
        self, conn: Request, exc: RondetafelError, scope: Scope, receive: Receive, send: Send
    ) -> None:
        log.warning("refused %s %s: %s", scope["method"], conn.url.path, exc.detail)
        detail = guard.from_where(conn, f"{scope['method']} {exc.detail}")
        engine = services(conn).engine
        await audit.record(
            engine,
            guard.ANONYMOUS,
            Action.REQUEST,
            Outcome.REFUSED,
            access_point=conn.url.path,
            detail=detail,
        )
        await self.render(conn, exc)(scope, receive, send)


def same_origin(origin: str | None, allowed: frozenset[str]) -> bool:
    """A state-changing request from a browser must come from one of our own pages."""
    return origin is None or origin in allowed


async def _read_body(receive: Receive) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return body
        chunk: bytes = message.get("body", b"")
        body += chunk
        if len(body) > BODY_MAX:
            return None
        if not message.get("more_body", False):
            return body


def _form_field(conn: HTTPConnection, body: bytes) -> str | None:
    if not conn.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    values = parse_qs(body.decode("utf-8", "replace")).get(FIELD)
    return values[0] if values else None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
