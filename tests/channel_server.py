"""One coach channel served alone, as Rasa would serve it, for tests that talk to it over HTTP."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any, AsyncIterator, Optional

from rasa.core.channels.channel import InputChannel, register
from sanic import Sanic

from tests.e2e.servers import free_port


@contextlib.asynccontextmanager
async def serve_channel(channel: InputChannel, agent: Optional[Any] = None) -> AsyncIterator[str]:
    """``channel`` in a Sanic app of its own on a free loopback port; yields the server's base URL."""
    Sanic.test_mode = True  # lets a second Sanic app start in the same process
    app = Sanic(f"channel_test_{uuid.uuid4().hex}")
    app.config.MOTD = False
    if agent is not None:
        app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    port = free_port()
    server = await app.create_server("127.0.0.1", port, return_asyncio_server=True, access_log=False)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()
