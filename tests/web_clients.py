"""Socket.IO clients that leave as a closed browser tab does: at once.

Over the polling transport, python-socketio's client waits on leaving (and after a refused connection) until its
pending long poll ends, and the coach's server only ends it at its next ping: up to 30 s per client, for nothing a
test checks. These still tell the server they are going (Engine.IO's close packet); they just do not wait.

Only for a client that will not connect again: the abandoned long poll's loop would carry on into a new connection
of the same client.
"""

from __future__ import annotations

import socketio


def leave_at_once(client: socketio.Client) -> None:
    client.eio.disconnect(abort=True)


class PageClient(socketio.Client):
    """A page that connects once: refused, or closed when the test is done."""

    def disconnect(self) -> None:
        leave_at_once(self)


class AsyncPageClient(socketio.AsyncClient):
    async def disconnect(self) -> None:
        await self.eio.disconnect(abort=True)
