"""The Jinja environment every page renders with: the catalogue, the CSRF token, the session
behind the page (for the logout button and the warning before it ends)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from ..access.sessions import Visitor, expected_token
from ..join_codes import TYPED_MAX
from ..join_codes import display as display_join_code
from ..messages import language, languages, t
from ..services import services
from ..storage.models import utcnow

TEMPLATES = Jinja2Templates(
    directory=Path(__file__).resolve().parents[2] / "web" / "templates"
)  # autoescapes .html
TEMPLATES.env.globals["t"] = t
TEMPLATES.env.globals["page_language"] = language
TEMPLATES.env.globals["all_languages"] = languages
TEMPLATES.env.globals["join_code_display"] = display_join_code
TEMPLATES.env.globals["join_code_typed_max"] = TYPED_MAX


@pass_context
def _csrf_token(context: Mapping[str, Any]) -> str:
    """The CSRF token for forms and scripts on this page (see ``server/middleware/csrf.py``)."""
    request: Request = context["request"]
    if "login_token" in context:
        return str(context["login_token"])
    return expected_token(request, services(request).settings.secret_key) or ""


@pass_context
def _visitor(context: Mapping[str, Any]) -> Visitor | None:
    """The session behind this page, when the handler looked it up (else None)."""
    return getattr(context["request"].state, "visitor", None)


@pass_context
def _warning_seconds(context: Mapping[str, Any]) -> int:
    return int(services(context["request"]).settings.session_warning_minutes * 60)


def _seconds_until(moment: datetime) -> int:
    return max(0, int((moment - utcnow()).total_seconds()))


TEMPLATES.env.globals["csrf_token"] = _csrf_token
TEMPLATES.env.globals["warning_seconds"] = _warning_seconds
TEMPLATES.env.globals["seconds_until"] = _seconds_until
TEMPLATES.env.globals["current_visitor"] = _visitor
