"""Which language a request is answered in: ``?lang=xx`` (then remembered in a cookie), else
the cookie, else Dutch. Once the page knows who is asking, that person's own language takes
the place of Dutch (``messages.prefer_language``), but never of a choice made on this device
(the menu, ``?lang=``, an invite link that carries it). Accept-Language is not read: a tablet
passed round the table, or
a coordinator's laptop set to English, says nothing about who is reading."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..messages import DEFAULT_LANGUAGE, current_language, language_chosen, language_codes

COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


class LanguageChoice:
    """Pure ASGI middleware: sets ``current_language`` for the request's whole handling (the
    pages and their error pages run inside it) and stores a ``?lang=`` choice in a cookie."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        known = language_codes()
        conn = HTTPConnection(scope)  # the query and cookies, parsed as the pages parse them
        asked = conn.query_params.get(COOKIE)
        asked = asked if asked in known else None
        kept = conn.cookies.get(COOKIE)
        kept = kept if kept in known else None
        chosen = asked or kept
        chose = language_chosen.set(chosen is not None)
        token = current_language.set(chosen or DEFAULT_LANGUAGE)
        try:
            if asked is None or scope["type"] != "http":
                await self.app(scope, receive, send)
                return

            async def remember(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message).append(
                        "set-cookie",
                        f"{COOKIE}={asked}; Max-Age={ONE_YEAR}; Path=/; SameSite=Lax",
                    )
                await send(message)

            await self.app(scope, receive, remember)
        finally:
            current_language.reset(token)
            language_chosen.reset(chose)
