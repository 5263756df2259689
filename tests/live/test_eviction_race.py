"""The last client leaves while its write is in flight; a newcomer joins inside the grace
period (or while the room is being unloaded) and must see that last edit."""

from __future__ import annotations

import asyncio
import random

from pycrdt import Text

from tests.conftest import Family, LiveServer, sign_in
from tests.yclient import YClient


async def test_newcomer_sees_the_last_edit_of_a_client_that_just_left(
    server: LiveServer, family: Family
) -> None:
    rnd = random.Random(11)
    grace = server.settings.eviction_grace
    for i in range(12):
        leaver_member = await sign_in(server.http, family, "Sanne Bakker")
        leaver = await YClient(leaver_member.ws_url(server.ws), leaver_member.cookie).connect()
        leaver.doc.get("vision", type=Text).insert(0, f"<{i}>")
        await asyncio.sleep(0)  # the update is on its way, not yet stored
        await leaver.close()  # leaves at once, the write still in flight
        # join before, around and after the end of the grace period (eviction under way)
        await asyncio.sleep(rnd.choice((0.0, grace * 0.5, grace, grace * 1.5)))
        joiner_member = await sign_in(server.http, family, "Mark Bakker")
        joiner = await YClient(joiner_member.ws_url(server.ws), joiner_member.cookie).connect()
        assert f"<{i}>" in str(joiner.doc.get("vision", type=Text)), i
        await joiner.close()
        family = await _fresh_links(server, family)


async def _fresh_links(server: LiveServer, family: Family) -> Family:
    from tests.conftest import make_family

    return await make_family(server.settings)
