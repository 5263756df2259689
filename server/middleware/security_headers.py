"""HTTP security headers on every response (a strict CSP: scripts only from our own files)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = {
    b"content-security-policy": (
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        # blob: for read aloud: the page plays the server's audio from a copy it keeps
        b"media-src 'self' blob:; "
        b"connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; "
        b"form-action 'self'"
    ),
    b"x-content-type-options": b"nosniff",
    # same-origin, not no-referrer: under no-referrer browsers post forms with "Origin: null",
    # which the same-origin check must refuse
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
    b"cache-control": b"no-store",
}


def with_security_headers(response: Response) -> Response:
    """For a response made outside the middleware (an unexpected error's page)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name.decode(), value.decode())
    return response


class SecurityHeaders:
    """Pure ASGI middleware (no buffering), so websockets pass through untouched."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS.items() if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
