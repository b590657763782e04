"""The Toggl emulator over HTTP: Toggl Track's v9 (and Reports v3) API as a real ASGI app.

Use it in-process (``httpx.ASGITransport(app=fake.app)``, base URL ``{server}/api/v9``) or
over real HTTP with ``serve(emulator)``. On top of ``bot.emulator.v9`` it adds
what a client has to cope with: Basic auth, a request log, injected faults, latency and
Toggl's hourly quota.

Path patterns (``count``, ``inject``) are matched segment by segment against the path
without the ``/api/v9`` prefix and without the query: a literal segment matches itself,
``{anything}`` matches any one segment, and a final ``*`` matches any remainder
(including none). ``None`` matches every path. Example: ``"/workspaces/{wid}/clients"``,
``"/workspaces/*"``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import math
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http import HTTPStatus
from time import sleep
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.clock import Clock
from bot.emulator.model import (
    FakeUser,
    Refusal,
)
from bot.emulator.reports import Answer
from bot.emulator.routes import EMPTY, REPORTS_ROUTES, ROUTES, route
from bot.emulator.routes import Route as _Route
from bot.emulator.v9 import TogglState

API_PREFIX = "/api/v9"
REPORTS_PREFIX = "/reports/api/v3"
QUOTA_REMAINING = "X-Toggl-Quota-Remaining"
QUOTA_RESETS_IN = "X-Toggl-Quota-Resets-In"
BAD_CREDENTIALS = "Incorrect username and/or password"
QUOTA_MESSAGE = (
    "You have hit your hourly limit for API calls. Please wait before making more requests."
)
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
_MESSAGES = {
    402: QUOTA_MESSAGE,
    403: BAD_CREDENTIALS,
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(slots=True)
class RecordedRequest:
    """One request as the fake saw it. ``token_id`` is the user id, never the token."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    token_id: int | None
    at: datetime
    status: int | None = None  # None: no answer was sent (e.g. the client gave up)
    injected: bool = False


@dataclass(slots=True)
class Fault:
    """An answer to give instead of the real one; see ``TogglEmulator.inject``."""

    status: int | None
    path: str | None
    method: str | None
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    delay: float = 0.0
    malformed_json: bool = False
    perform: bool = False

    @property
    def replaces_answer(self) -> bool:
        if self.malformed_json or self.body is not None:
            return True
        return self.status is not None and not 200 <= self.status < 300


class TogglEmulator(TogglState):
    """Toggl Track v9 in memory. ``app`` is the ASGI app; seed with the ``add_*`` methods."""

    def __init__(self, clock: Clock | None = None, latency: float = 0.0) -> None:
        super().__init__(clock)
        self.latency = latency
        self.requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []
        self._quota: tuple[int, float] | None = None
        # One window per user and bucket: Toggl counts /me requests apart from workspace ones.
        self._counted: dict[tuple[int, str], deque[datetime]] = {}
        self.app = Starlette(
            routes=[
                Route(API_PREFIX + "/{path:path}", self._api, methods=_METHODS),
                # Reports API v3: the Detailed search and the Summary (bot.emulator.reports).
                Route(REPORTS_PREFIX + "/{path:path}", self._reports, methods=_METHODS),
            ]
        )

    def __repr__(self) -> str:
        return f"<TogglEmulator users={len(self._users)} requests={len(self.requests)}>"

    # -- log -------------------------------------------------------------------------------

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """Requests seen with this method (any case) and path pattern (see module doc)."""
        with self._lock:
            return sum(1 for r in self.requests if _matches(r, method, path))

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- faults and quota ----------------------------------------------------------------

    def inject(
        self,
        status: int | None = None,
        *,
        path: str | None = None,
        method: str | None = None,
        times: int = 1,
        headers: Mapping[str, str] | None = None,
        body: str | None = None,
        delay: float = 0.0,
        malformed_json: bool = False,
        perform: bool = False,
    ) -> Fault:
        """Answer the next ``times`` matching requests with this instead of the real answer.

        Without ``malformed_json``, ``status=None`` or a 2xx status without ``body`` only
        delays (and adds ``headers`` to) the real answer. ``malformed_json`` answers
        ``status`` (default 200) with broken JSON.
        ``perform=True`` carries out the real action first and then answers with the fault,
        like a server that committed a write but failed to say so.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = Fault(
            status,
            path,
            method.upper() if method else None,
            times,
            dict(headers or {}),
            body,
            delay,
            malformed_json,
            perform,
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def set_quota(self, limit: int | None, window_seconds: float = 3600) -> None:
        """Per-user sliding-window quota like Toggl's Free plan; ``None`` turns it off."""
        with self._lock:
            self._quota = None if limit is None else (limit, window_seconds)
            self._counted.clear()

    # -- ASGI ----------------------------------------------------------------------------

    async def _api(self, request: Request) -> Response:
        return await self._handle(request, "/" + request.path_params["path"], ROUTES)

    async def _reports(self, request: Request) -> Response:
        path = REPORTS_PREFIX + "/" + request.path_params["path"]
        return await self._handle(request, path, REPORTS_ROUTES)

    async def _handle(self, request: Request, path: str, routes: list[_Route]) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw.strip() else None
            body_ok = True
        except ValueError:
            body, body_ok = None, False
        user = self.user_for_token(_token(request.headers.get("authorization")) or "")
        method = request.method
        record = RecordedRequest(
            method, path, dict(request.query_params), body, user.id if user else None, self._now()
        )
        with self._lock:
            self.requests.append(record)
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        fault = self._take_fault(method, path)
        response: Response | None = None
        if fault is not None:
            record.injected = True
            if fault.delay > 0:
                await asyncio.sleep(fault.delay)
            if fault.replaces_answer:
                if fault.perform:
                    self._answer(method, path, record.query, body, body_ok, user, routes)
                response = _fault_response(fault)
        if response is None:
            response = self._answer(method, path, record.query, body, body_ok, user, routes)
            if fault is not None:
                response.headers.update(fault.headers)
        record.status = response.status_code
        return response

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.method in (None, method) and _path_matches(fault.path, path):
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        body_ok: bool,
        user: FakeUser | None,
        routes: list[_Route],
    ) -> Response:
        with self._lock:
            if user is None:
                return _text(403, BAD_CREDENTIALS)
            allowed, headers = self._spend_quota(user, path)
            if not allowed:
                return _text(402, QUOTA_MESSAGE, headers)
            try:
                if not body_ok:
                    raise Refusal(400, "JSON is not valid")
                result = route(self, routes, method, path, user, query, body)
            except Refusal as refusal:
                return _text(refusal.status, refusal.message, headers)
            if isinstance(result, Answer):
                headers = {**headers, **result.headers}
                result = result.body
            if result is EMPTY:
                return Response(status_code=200, headers=headers)
            return Response(json.dumps(result), 200, headers, media_type="application/json")

    def _spend_quota(self, user: FakeUser, path: str) -> tuple[bool, dict[str, str]]:
        """Count one request against the user's window for its bucket; refusals don't count.

        Like Toggl: requests about the person (``/me...``) have their own hourly quota,
        apart from requests aimed at a workspace.
        """
        if self._quota is None:
            return True, {}
        limit, window = self._quota
        now = self._now()
        bucket = "me" if path == "/me" or path.startswith("/me/") else "workspace"
        seen = self._counted.setdefault((user.id, bucket), deque())
        while seen and seen[0] <= now - timedelta(seconds=window):
            seen.popleft()
        allowed = len(seen) < limit
        if allowed:
            seen.append(now)
        resets_in = (seen[0] + timedelta(seconds=window) - now).total_seconds()
        headers = {
            QUOTA_REMAINING: str(limit - len(seen)),
            QUOTA_RESETS_IN: str(max(0, math.ceil(resets_in))),
        }
        return allowed, headers


# -- helpers -------------------------------------------------------------------------------


def _token(header: str | None) -> str | None:
    """The API token from ``Basic base64(token:api_token)``; anything else is no token."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    token, _, marker = decoded.partition(":")
    # Toggl's token auth uses this literal in the password field.
    return token if marker == "api_token" and token else None


def _text(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(message, status, dict(headers or {}), media_type="text/plain")


def _fault_response(fault: Fault) -> Response:
    status = fault.status if fault.status is not None else 200
    if fault.malformed_json:
        body = fault.body if fault.body is not None else '{"id": 1, "description": "trunc'
        return Response(body, status, fault.headers, media_type="application/json")
    message = fault.body
    if message is None:
        message = _MESSAGES.get(status) or _phrase(status)
    return _text(status, message, fault.headers)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _path_matches(pattern: str | None, path: str) -> bool:
    if pattern is None:
        return True
    want = pattern.strip("/").split("/")
    have = path.strip("/").split("/")
    if want and want[-1] == "*":
        want = want[:-1]
        have = have[: len(want)]
    return len(want) == len(have) and all(
        w == h or (w.startswith("{") and w.endswith("}")) for w, h in zip(want, have, strict=True)
    )


def _matches(record: RecordedRequest, method: str | None, path: str | None) -> bool:
    return (method is None or record.method == method.upper()) and _path_matches(path, record.path)


# -- real HTTP -----------------------------------------------------------------------------


@contextmanager
def serve(fake: TogglEmulator, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run ``fake`` under uvicorn in a thread; yields the server URL (API at ``/api/v9``)."""
    config = uvicorn.Config(fake.app, host=host, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fake-toggl", daemon=True)
    thread.start()
    try:
        for _ in range(1000):
            if server.started or not thread.is_alive():
                break
            sleep(0.005)
        if not server.started:
            raise RuntimeError("fake Toggl server did not start")
        bound = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
