"""Request bodies bounded in size and time, before any endpoint reads them.

A body declared larger than the limit is refused with 413 before a byte of it is read;
one that grows past the limit while being read, or that is not complete within the
deadline, is refused then (413, 408). The refusal is raised from ``receive`` as an
HTTPException, so the endpoint reading the body never sees more than the limit and
Starlette answers without a traceback.
"""

from __future__ import annotations

import asyncio

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.edge.limits import WebLimits
from adapters.edge.refusals import RefusalLog

CLOSE = {"Connection": "close"}  # the rest of a refused body is not worth reading


def declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None  # the HTTP parser checked it
    return None


class BodyLimits:
    """ASGI middleware (inside Starlette's error handling) enforcing the body limits."""

    def __init__(self, app: ASGIApp, limits: WebLimits, refusals: RefusalLog) -> None:
        self.app = app
        self.limits = limits
        self.refusals = refusals

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.limits.max_body_bytes:
            self._refused(scope, declared, self._too_large)
            await Response(status_code=413, headers=CLOSE)(scope, receive, send)
            return
        await self.app(scope, self._bounded(scope, receive), send)

    @property
    def _too_large(self) -> str:
        return f"body over the {self.limits.max_body_bytes} byte limit"

    def _refused(self, scope: Scope, size: int | None, reason: str) -> None:
        self.refusals.refused(scope.get("method", "-"), scope.get("path", "-"), size, reason)

    def _bounded(self, scope: Scope, receive: Receive) -> Receive:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.body_seconds
        received = 0
        complete = False

        async def bounded_receive() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive only waits for a disconnect: no deadline
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                self._refused(scope, received, f"body not complete within "
                                               f"{self.limits.body_seconds:g} s")
                raise HTTPException(408, headers=CLOSE) from None
            if message["type"] == "http.disconnect":
                self._refused(scope, received, "client left before the body was complete")
                raise HTTPException(400, headers=CLOSE)
            received += len(message.get("body", b""))
            if received > self.limits.max_body_bytes:
                self._refused(scope, received, self._too_large)
                raise HTTPException(413, headers=CLOSE)
            complete = not message.get("more_body", False)
            return message

        return bounded_receive
