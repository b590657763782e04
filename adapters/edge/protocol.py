"""uvicorn's HTTP protocol with deadlines on headers and a cap on connections.

uvicorn starts its keep-alive timer only after a response and cancels it on any byte, so a
client that sends half a request line, or one header a minute, holds its connection (and
a file descriptor) forever; httptools also buffers a header of any size. Here:

* from connecting, or from the end of the previous response, the request's headers must
  be complete within ``header_seconds`` and ``max_header_bytes`` (else 408 / 431, closed);
* past ``max_connections``, the connection that has waited longest for its headers is
  dropped, so clients that send a whole request at once (Slack, health checks) always
  get in. Bodies are bounded in the app (adapters.edge.body).
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from adapters.edge.limits import WebLimits
from adapters.edge.refusals import RefusalLog

_STATUS = {408: b"408 Request Timeout", 431: b"431 Request Header Fields Too Large"}


class GuardedHttpProtocol(HttpToolsProtocol):
    """One instance per connection; the class holds the limits and who is waiting."""

    limits: ClassVar[WebLimits]
    refusals: ClassVar[RefusalLog]
    # Connections waiting for request headers, oldest first (dicts keep insertion order).
    waiting: ClassVar[dict[GuardedHttpProtocol, None]]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._header_bytes = 0  # bytes received while waiting for headers
        self._head_size = 0  # the current request's URL and headers, as parsed
        self._wait_for_headers()
        self._make_room()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # parser callbacks below run inside this call
        if self._deadline is not None and not self.transport.is_closing():
            self._header_bytes += len(data)
            if self._header_bytes > self.limits.max_header_bytes:
                self._refuse(431, f"headers over the {self.limits.max_header_bytes} byte limit")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_size = 0
        if self._deadline is None:  # a request after a pipelined one
            self._wait_for_headers()

    def on_url(self, url: bytes) -> None:
        self._head_size += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._stop_waiting()
        if self._head_size <= self.limits.max_header_bytes:
            super().on_headers_complete()
            return
        # Arrived whole in one read: answer through the normal cycle, so the parser,
        # which goes on to the body, finds the state it expects.
        self.refusals.refused("-", "-", self._head_size,
                              f"headers over the {self.limits.max_header_bytes} byte limit")
        app, self.app = self.app, _headers_too_large
        try:
            super().on_headers_complete()
        finally:
            self.app = app

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.timeout_keep_alive_task is not None:  # idle now, until the next request
            self._wait_for_headers()

    # -- waiting for headers ----------------------------------------------------------------

    def _wait_for_headers(self) -> None:
        self._stop_waiting()
        self._header_bytes = 0
        self._deadline = self.loop.call_later(self.limits.header_seconds, self._too_slow)
        self.waiting[self] = None

    def _stop_waiting(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self.waiting.pop(self, None)

    def _too_slow(self) -> None:
        self._deadline = None
        if self._header_bytes:
            self._refuse(408, f"headers not complete within {self.limits.header_seconds:g} s")
        else:
            self._close()  # an idle connection: nothing to say, nothing worth a log line

    def _make_room(self) -> None:
        excess = len(self.connections) - self.limits.max_connections
        while excess > 0 and self.waiting:
            oldest = next(iter(self.waiting))
            if oldest is self:
                break
            oldest._close()
            # Its connection_lost comes a loop turn later; until then uvicorn would still
            # count it against limit_concurrency and answer the newcomer 503.
            self.connections.discard(oldest)
            self.refusals.refused("-", "-", oldest._header_bytes,
                                  f"dropped to stay within {self.limits.max_connections} "
                                  "connections (it was the one waiting longest)")
            excess -= 1

    def _refuse(self, status: int, reason: str) -> None:
        self.refusals.refused("-", "-", self._header_bytes, reason)
        if self.cycle is None or self.cycle.response_complete:  # never inside a response
            self.transport.write(
                b"HTTP/1.1 " + _STATUS[status]
                + b"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            )
        self._close()

    def _close(self) -> None:
        self._stop_waiting()
        if not self.transport.is_closing():
            self.transport.close()


async def _headers_too_large(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 431,
                "headers": [(b"content-length", b"0"), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": b""})


def guarded_protocol(limits: WebLimits, refusals: RefusalLog | None = None) -> type[Any]:
    """A protocol class for one server: its limits, and its own queue of waiting clients."""
    attributes = {"limits": limits, "refusals": refusals or RefusalLog(), "waiting": {}}
    return type("GuardedHttpProtocol", (GuardedHttpProtocol,), attributes)
