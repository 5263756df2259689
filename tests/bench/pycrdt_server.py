"""pycrdt-websocket as a reference server: ``python pycrdt_server.py PORT``.

Runs in its own venv (``tests/bench/.peers/pycrdt-ws``), not in the project's; documents are
kept in memory. An exception handler is set because without one a client that closes right
after sending can stop the whole server (YJS-NOTES).
"""

from __future__ import annotations

import asyncio
import logging
import sys

import uvicorn
from pycrdt.websocket import ASGIServer, WebsocketServer  # type: ignore[import-not-found]


def handled(exception: Exception, log: logging.Logger) -> bool:
    log.warning("pycrdt-websocket: %s", type(exception).__name__)
    return True


async def main(port: int) -> None:
    websocket_server = WebsocketServer(exception_handler=handled, auto_clean_rooms=True)
    app = ASGIServer(websocket_server)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        log_level="warning",
        lifespan="on",
    )
    async with websocket_server:
        await uvicorn.Server(config).serve()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
