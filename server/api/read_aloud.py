"""``POST /api/families/{family_id}/read-aloud``: a text of the family's plan, spoken.

The browser asks only when it has no voice of its own for the text's language. The body is
JSON ``{"text": …, "lang": …}`` (never the URL: addresses end up in logs and histories); the
answer is MP3 (``server/speech.py``). Access as for the plan itself: someone of the family,
signed in (``guard.for_family``); another family's id answers 404 like an unknown one. The
text must be the family's or the catalogue's (``server/read_aloud.py``). Each reading is
audited as a view of the plan, without the text."""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import read_aloud, speech
from ..access import guard
from ..errors import BadRequest, NotReadable, NoVoice, TooLarge
from ..privacy.audit import Action
from ..services import services

BODY_MAX = 32 * 1024  # 5,000 characters of Arabic or Ukrainian, and the JSON around them
DETAIL = "read aloud"


async def speak(request: Request) -> Response:
    state = services(request)
    family_id = request.path_params["family_id"]
    principal = await guard.for_family(request, family_id, Action.VIEW_PLAN)
    async with guard.refusals_audited(request, principal, Action.VIEW_PLAN, DETAIL):
        text, lang, voice = _parse(await _body(request))
        # the family's words first: a few milliseconds, where the first look at a language's
        # catalogue parses it (~0.2 s of Python; in a thread, not to stall every meeting)
        known = await read_aloud.in_family(state, family_id, text)
        if not known and not await asyncio.to_thread(read_aloud.in_catalogue, text, lang):
            raise NotReadable("text not in the family's plan")
        audio = await state.audio.spoken(family_id, text, voice)
    await guard.audited(request, principal, Action.VIEW_PLAN, detail=DETAIL)
    # private: the family's words; not kept by the browser beyond this page (the page keeps
    # it for a second press itself)
    return Response(audio, media_type="audio/mpeg", headers={"Cache-Control": "no-store"})


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            raise TooLarge(f"read-aloud body over {BODY_MAX} bytes")
    return body


def _parse(body: bytes) -> tuple[str, str, str]:
    """The folded text, its language and espeak-ng's voice for it."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest("read-aloud body is not JSON", name="text") from None
    if not isinstance(data, dict):
        raise BadRequest("read-aloud body is not an object", name="text")
    text, lang = data.get("text"), data.get("lang")
    if not isinstance(text, str) or not isinstance(lang, str):
        raise BadRequest("read-aloud needs text and lang", name="text")
    text = read_aloud.folded(text)
    if not text:
        raise BadRequest("nothing to read aloud", name="text")
    if len(text) > read_aloud.MAX_CHARACTERS:
        raise TooLarge(f"read-aloud text over {read_aloud.MAX_CHARACTERS} characters")
    voice = speech.voice_for(lang)
    if voice is None:
        raise NoVoice("no voice for the language")
    return text, lang, voice


routes = [Route("/api/families/{family_id}/read-aloud", speak, methods=["POST"])]
