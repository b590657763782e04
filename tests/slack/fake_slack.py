"""A local Slack: the Web API methods togglbot uses, plus response_url endpoints.

Served by uvicorn on 127.0.0.1 in a thread, because bolt's clients (AsyncWebClient,
respond) speak aiohttp over real HTTP. Like Slack, it refuses payloads that break Block
Kit limits, so every end-to-end test also checks them. Calls are recorded with the bearer
token used, so tests can assert which workspace's token spoke.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.slack.slack_rules import UserToken, Workspace, user_token_refusal

BOT_USER = "UBOT"
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100


@dataclass
class Call:
    method: str  # a Web API method such as "views.open", or "respond"
    payload: dict[str, Any]
    token: str | None = None
    path: str = ""
    status: int = 200  # 429 when the fake rate-limited it
    peer: str = ""  # the client's host:port: which TCP connection it came on


@dataclass
class FakeSlack:
    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    oauth_answer: dict[str, Any] = field(default_factory=dict)
    teams: dict[str, str] = field(default_factory=dict)  # bot token -> its workspace
    socket_url: str = ""  # what apps.connections.open hands out
    workspace: Workspace = field(default_factory=Workspace)  # scopes and channel access
    user_tokens: dict[str, UserToken] = field(default_factory=dict)  # xoxp- tokens issued
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)  # user -> their status
    _limited: dict[str, int] = field(default_factory=dict)
    _failing: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["GET", "POST"]),
                Route("/respond/{hook:path}", self._respond, methods=["POST"]),
            ]
        )

    # -- for tests -----------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def response_url(self, hook: str) -> str:
        return f"{self.base_url}/respond/{hook}"

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._limited.clear()
            self._failing.clear()
            self.oauth_answer = {}
            self.teams.clear()
            self.socket_url = ""
            self.workspace = Workspace()
            self.user_tokens.clear()
            self.statuses.clear()

    def rate_limit(self, method: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and Retry-After: 0."""
        with self._lock:
            self._limited[method] = times

    def fail(self, method: str, error: str) -> None:
        """Answer every later call of ``method`` with ``{"ok": false, "error": error}``."""
        with self._lock:
            self._failing[method] = error

    def of(self, method: str) -> list[Call]:
        """Calls of ``method`` that were answered (not rate-limited)."""
        return [c for c in self.attempts(method) if c.status == 200]

    def attempts(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        """The first ``count`` calls of ``method``, waiting (bounded) for background work."""
        deadline = time.monotonic() + within
        while len(found := self.of(method)) < count:
            if time.monotonic() > deadline:
                seen = [c.method for c in self.calls]
                raise AssertionError(f"expected {count} {method} call(s); saw {seen}")
            await asyncio.sleep(0.01)
        return found[:count]

    def transcript(self) -> str:
        """Everything Slack was sent, as text: for "never echoes the token" checks."""
        with self._lock:
            return json.dumps([(c.method, c.payload) for c in self.calls])

    # -- HTTP ----------------------------------------------------------------------------

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        payload = await _payload(request)
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        with self._lock:
            if self._limited.get(method, 0) > 0:
                self._limited[method] -= 1
                self.calls.append(Call(method, payload, token, status=429))
                return JSONResponse(
                    {"ok": False, "error": "ratelimited"},
                    status_code=429,
                    headers={"Retry-After": "0"},
                )
            self.calls.append(Call(method, payload, token))
            failure = self._failing.get(method)
            headers = self.workspace.headers(method)
            user = self.user_tokens.get(token or "")
            bot = user is None and not (token or "").startswith("xoxp-") and bool(token)
            refused = user_token_refusal(method, payload, user, bot) or (
                None if user is not None else self.workspace.refusal(method, payload))
        if failure:
            return JSONResponse({"ok": False, "error": failure}, headers=headers)
        if refused:
            return JSONResponse(refused, headers=headers)
        problems = payload_problems(method, payload)
        if problems:
            return JSONResponse({"ok": False, "error": "invalid_blocks", "errors": problems})
        return JSONResponse(self._answer(method, payload, token), headers=headers)

    async def _respond(self, request: Request) -> Response:
        payload = json.loads(await request.body())
        with self._lock:
            peer = f"{request.client.host}:{request.client.port}" if request.client else ""
            self.calls.append(Call("respond", payload, path=request.path_params["hook"],
                                   peer=peer))
        problems = block_problems(payload.get("blocks") or [], MESSAGE_BLOCKS)
        if problems:
            return PlainTextResponse("invalid_blocks: " + "; ".join(problems), status_code=400)
        return PlainTextResponse("ok")

    def _answer(self, method: str, payload: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = self.user_tokens.get(token or "")
        if method == "users.profile.set" and user is not None:
            self.statuses[user.user] = dict(payload["profile"])
            return {"ok": True, "profile": payload["profile"]}
        if method == "auth.revoke":
            if user is not None:
                user.revoked = True
            return {"ok": True, "revoked": True}
        if method == "auth.test":
            team = self.teams.get(token or "", "T1")
            return {"ok": True, "url": "https://fake.slack.test/", "team": "Fake",
                    "user": "togglbot", "team_id": team, "user_id": BOT_USER, "bot_id": "BBOT",
                    "is_enterprise_install": False}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "oauth.v2.access":
            return {"ok": True, **self.oauth_answer}
        if method.startswith("views."):
            return {"ok": True, "view": {"id": "V1", **(payload.get("view") or {})}}
        return {"ok": True, "channel": payload.get("channel", "C1"), "ts": "1700000000.000100"}


async def _payload(request: Request) -> dict[str, Any]:
    raw = (await request.body()).decode()
    if request.headers.get("content-type", "").startswith("application/json"):
        data: dict[str, Any] = json.loads(raw) if raw else {}
    else:
        data = dict(parse_qsl(raw))
    data.update(request.query_params)
    for name in ("view", "blocks", "profile"):
        if isinstance(data.get(name), str):
            with contextlib.suppress(ValueError):  # left as sent: the method refuses it
                data[name] = json.loads(data[name])
    return data


# -- Block Kit limits, as Slack enforces them ----------------------------------------------


def payload_problems(method: str, payload: dict[str, Any]) -> list[str]:
    view = payload.get("view")
    if isinstance(view, dict):
        problems = block_problems(view.get("blocks") or [], VIEW_BLOCKS)
        if view.get("type") == "modal":
            for part in ("title", "submit", "close"):
                if len((view.get(part) or {}).get("text", "")) > 24:
                    problems.append(f"modal {part} over 24 characters")
        if len(view.get("private_metadata") or "") > 3000:
            problems.append("private_metadata over 3000 characters")
        return problems
    return block_problems(payload.get("blocks") or [], MESSAGE_BLOCKS)


def _text(obj: dict[str, Any] | None, limit: int, where: str, out: list[str]) -> None:
    text = (obj or {}).get("text", "")
    if not text:
        out.append(f"{where}: empty text")
    elif len(text) > limit:
        out.append(f"{where}: {len(text)} characters > {limit}")


def block_problems(blocks: list[dict[str, Any]], limit: int) -> list[str]:
    out: list[str] = []
    if len(blocks) > limit:
        out.append(f"{len(blocks)} blocks > {limit}")
    for i, block in enumerate(blocks):
        kind = block.get("type")
        where = f"block {i} ({kind})"
        if kind == "section":
            fields = block.get("fields") or []
            if "text" in block or not fields:
                _text(block.get("text"), 3000, where, out)
            if len(fields) > 10:
                out.append(f"{where}: {len(fields)} fields > 10")
            for f in fields:
                _text(f, 2000, where + " field", out)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 0 < len(elements) <= 25:
                out.append(f"{where}: {len(elements)} elements")
            if len({e.get("action_id") for e in elements}) != len(elements):
                out.append(f"{where}: repeated action_id")
            for e in elements:
                _text(e.get("text"), 75, where + " button", out)
                if len(e.get("value", "")) > 2000:
                    out.append(f"{where}: button value over 2000")
        elif kind == "context":
            elements = block.get("elements") or []
            if not 0 < len(elements) <= 10:
                out.append(f"{where}: {len(elements)} elements")
            for e in elements:
                _text(e, 3000, where, out)
        elif kind == "header":
            _text(block.get("text"), 150, where, out)
        elif kind == "input":
            _text(block.get("label"), 2000, where, out)
        elif kind != "divider":
            out.append(f"{where}: unknown block type")
    return out


@contextmanager
def serve(fake: FakeSlack, host: str = "127.0.0.1") -> Iterator[FakeSlack]:
    """Run ``fake`` under uvicorn in a thread on a free port; sets ``fake.base_url``."""
    config = uvicorn.Config(fake.app, host=host, port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fake-slack", daemon=True)
    thread.start()
    try:
        for _ in range(1000):
            if server.started or not thread.is_alive():
                break
            time.sleep(0.005)
        if not server.started:
            raise RuntimeError("fake Slack server did not start")
        fake.base_url = f"http://{host}:{server.servers[0].sockets[0].getsockname()[1]}"
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=10)
