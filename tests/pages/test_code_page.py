"""The join-by-code page after a wrong code: what was typed stays in the field (escaped),
the field takes the focus and the page says what went wrong; the code reaches no log."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.conftest import LiveServer

FIELD = '<input id="code" name="code"'


async def post_code(server: LiveServer, code: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.http) as http:
        return await http.post("/code", data={"code": code}, headers={"Origin": server.http})


async def test_a_wrong_code_comes_back_in_the_field(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    page = await post_code(server, "EZQ2-29R")
    assert page.status_code == 404
    field = page.text[page.text.index(FIELD) :].split(">", 1)[0]
    assert 'value="EZQ2-29R"' in field
    assert "autofocus" in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="code-hint code-error"' in field
    assert 'role="alert" id="code-error">Deze code klopt niet, of het overleg is al klaar.' in (
        page.text
    )
    assert "EZQ2-29R" not in caplog.text


async def test_what_was_typed_stays_text(server: LiveServer) -> None:
    page = await post_code(server, '"><script>x</script> and more')
    field = page.text[page.text.index(FIELD) :].split(">", 1)[0]
    # escaped, and cut at the field's maxlength
    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in field
    assert "<script>x" not in page.text and "and more" not in page.text


async def test_a_first_visit_has_an_empty_field_without_focus(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as http:
        page = await http.get("/code")
    field = page.text[page.text.index(FIELD) :].split(">", 1)[0]
    assert 'value=""' in field and "autofocus" not in field and "aria-invalid" not in field
