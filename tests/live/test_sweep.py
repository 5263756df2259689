"""The session sweep: every open meeting connection's session is re-checked in one query per
period, not one per socket, and an ended session's sockets close (4401)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update

from server.live.sweep import sweep
from server.settings import Settings
from server.storage.models import Session, as_utc, utcnow
from tests.conftest import LiveServer, make_family, sign_in
from tests.test_server import connect

PEOPLE = ("Sanne Bakker", "Mark Bakker", "Daan Bakker", "Oma Ria", "Lotte Smit")


async def test_one_sweep_reads_every_socket_at_once_and_writes_few(settings: Settings) -> None:
    family = await make_family(settings)
    server = await LiveServer(settings).start()  # default period: the sweep here is ours
    try:
        members = [await sign_in(server.http, family, name) for name in PEOPLE]
        sockets = [await connect(server, m) for m in members for _ in range(3)]
        state = server.app.state.services
        statements: list[str] = []

        def seen(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
            statements.append(statement.split()[0])

        async def statements_of_a_sweep() -> list[str]:
            statements.clear()
            event.listen(state.engine.sync_engine, "before_cursor_execute", seen)
            await sweep(state)
            event.remove(state.engine.sync_engine, "before_cursor_execute", seen)
            return statements

        # just signed in: nothing to mark as active yet
        assert await statements_of_a_sweep() == ["SELECT"]  # 15 sockets, 5 sessions
        # a quarter of the idle timeout later the open sockets keep their sessions alive
        long_ago = utcnow() - timedelta(minutes=settings.session_idle_minutes / 4)
        async with state.sessions.begin() as db:
            await db.execute(update(Session).values(last_seen_at=long_ago))
        assert await statements_of_a_sweep() == ["SELECT", "UPDATE"]
        async with state.sessions() as db:
            seen_at = await db.scalars(
                select(Session.last_seen_at).where(Session.id.in_([m.session_id for m in members]))
            )
            assert all(as_utc(t) > long_ago for t in seen_at if t is not None)
        assert await statements_of_a_sweep() == ["SELECT"]

        async with state.sessions.begin() as db:  # the coordinator's link is revoked
            await db.execute(
                update(Session)
                .where(Session.id == members[-1].session_id)
                .values(revoked_at=utcnow())
            )
        await sweep(state)
        for s in sockets[-3:]:
            await s.wait_for(lambda s=s: s.close_code is not None)
        assert [s.close_code for s in sockets[-3:]] == [4401] * 3
        assert all(s.close_code is None for s in sockets[:-3])
        for s in sockets:
            await s.close()
    finally:
        await server.stop()


async def test_a_sweep_that_wakes_a_hair_early_still_checks_every_period(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A revoked session's sockets close within one check period, not two: a sleep that ends
    a microsecond early must not skip the check."""
    from types import SimpleNamespace

    from server.live import sweep as sweeping

    clock = [0.0]
    checks: list[float] = []

    async def early_sleep(seconds: float) -> None:
        clock[0] += seconds - 1e-6

    async def check(state: object) -> None:
        checks.append(clock[0])
        if len(checks) == 3:
            raise asyncio.CancelledError

    class NoSockets:
        async def close_idle(self, before: float, code: int) -> int:
            return 0

    monkeypatch.setattr(sweeping, "asyncio", SimpleNamespace(sleep=early_sleep))
    monkeypatch.setattr(sweeping, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(sweeping, "sweep", check)
    state = SimpleNamespace(
        settings=Settings(session_check_seconds=20, idle_timeout=120), connections=NoSockets()
    )
    with pytest.raises(asyncio.CancelledError):
        await sweeping.sweep_forever(state)  # type: ignore[arg-type]
    assert [round(c) for c in checks] == [20, 40, 60]
