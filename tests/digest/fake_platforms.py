"""Tiny local stand-ins for the Slack Web API and Discord's REST API, over real HTTP.

slack_sdk and discord.py speak aiohttp, so the fakes run under uvicorn in a thread. They
know only what the digest worker calls, and record every request.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.slack.slack_rules import Workspace


@dataclass
class Seen:
    name: str  # Slack method, or "upload", or "METHOD /path" for Discord
    payload: dict[str, Any]
    body: bytes = b""
    token: str = ""


@dataclass
class FakeSlackApi:
    base_url: str = ""
    seen: list[Seen] = field(default_factory=list)
    rate_limit: int = 0  # answer this many chat.postMessage calls with 429 first
    error: str = ""  # answer chat.postMessage with ok=false and this error
    on_post: Callable[[], None] = lambda: None  # called (on the server thread) after a post
    workspace: Workspace = field(default_factory=Workspace)  # scopes and channel access

    def __post_init__(self) -> None:
        self.app = Starlette(routes=[
            Route("/api/{method}", self._api, methods=["POST", "GET"]),
            Route("/upload/{file_id}", self._upload, methods=["POST"]),
        ])

    def of(self, name: str) -> list[Seen]:
        return [s for s in self.seen if s.name == name]

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        raw = (await request.body()).decode()
        if request.headers.get("content-type", "").startswith("application/json"):
            payload = json.loads(raw or "{}")
        else:
            payload = dict(parse_qsl(raw))
        payload.update(request.query_params)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        self.seen.append(Seen(method, payload, token=token))
        headers = self.workspace.headers(method)
        if method == "chat.postMessage" and self.rate_limit > 0:
            self.rate_limit -= 1
            return JSONResponse({"ok": False, "error": "ratelimited"}, 429,
                                headers={"Retry-After": "0"})
        refused = self.workspace.refusal(method, payload)
        if method == "chat.postMessage" and self.error:
            refused = {"ok": False, "error": self.error}
        if refused:
            return JSONResponse(refused, headers=headers)
        if method == "chat.postMessage":
            self.on_post()
            return JSONResponse({"ok": True, "channel": payload["channel"],
                                 "ts": f"1700000000.{len(self.seen):06d}"}, headers=headers)
        if method == "files.getUploadURLExternal":
            return JSONResponse({"ok": True, "file_id": "F1",
                                 "upload_url": f"{self.base_url}/upload/F1"}, headers=headers)
        if method == "files.completeUploadExternal":
            return JSONResponse({"ok": True, "files": [{"id": "F1", "title": "chart"}]},
                                headers=headers)
        return JSONResponse({"ok": True, "file": {"id": "F1"}}, headers=headers)

    async def _upload(self, request: Request) -> Response:
        self.seen.append(Seen("upload", {}, await request.body()))
        return Response("OK - 1", media_type="text/plain")


BOT = {"id": "42", "username": "togglbot", "discriminator": "0", "avatar": None, "bot": True}


@dataclass
class FakeDiscordApi:
    base_url: str = ""
    seen: list[Seen] = field(default_factory=list)
    refuse: int = 0  # answer message posts with this status (e.g. 403 Missing Access)

    def __post_init__(self) -> None:
        self.app = Starlette(routes=[
            Route("/api/v10/users/@me", self._me, methods=["GET"]),
            Route("/api/v10/oauth2/applications/@me", self._app, methods=["GET"]),
            Route("/api/v10/channels/{channel}/messages", self._post, methods=["POST"]),
            Route("/api/v10/users/@me/channels", self._open_dm, methods=["POST"]),
        ])

    async def _open_dm(self, request: Request) -> Response:
        body = await request.body()
        self.seen.append(Seen("POST /users/@me/channels", {}, body))
        recipient = {**BOT, "id": str(json.loads(body)["recipient_id"]), "bot": False}
        return JSONResponse({"id": "555", "type": 1, "recipients": [recipient],
                             "last_message_id": None})

    async def _me(self, request: Request) -> Response:
        self.seen.append(Seen("GET /users/@me", {}, token=request.headers["authorization"]))
        return JSONResponse(BOT)

    async def _app(self, request: Request) -> Response:
        self.seen.append(Seen("GET /oauth2/applications/@me", {}))
        return JSONResponse({
            "id": "42", "name": "togglbot", "description": "", "icon": None, "owner": BOT,
            "bot_public": False, "bot_require_code_grant": False, "verify_key": "00", "flags": 0,
        })

    async def _post(self, request: Request) -> Response:
        body = await request.body()
        channel = request.path_params["channel"]
        self.seen.append(Seen(f"POST /channels/{channel}/messages", {}, body))
        if self.refuse:
            return JSONResponse({"message": "Missing Access", "code": 50001}, self.refuse)
        return JSONResponse({
            "id": str(9000 + len(self.seen)), "channel_id": channel, "author": BOT,
            "content": "", "timestamp": "2026-11-24T17:00:00+00:00", "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
        })


@contextmanager
def serve(app: Starlette) -> Iterator[str]:
    """Run ``app`` on 127.0.0.1 in a thread; yields its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="fake-platform", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        if not server.started:
            raise RuntimeError("fake platform server did not start")
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
