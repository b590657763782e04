"""Slack's side of the conversation: payloads signed exactly as Slack signs them.

v0 signature: HMAC-SHA256 of ``v0:{timestamp}:{raw body}`` keyed with the signing secret,
sent as ``X-Slack-Signature: v0=<hex>`` with ``X-Slack-Request-Timestamp``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.slack.fake_slack import FakeSlack

SIGNING_SECRET = "test-signing-secret-5c1f"  # a test value, not a real secret
BOT_TOKEN = "xoxb-test-bot-token"
FORM = "application/x-www-form-urlencoded"


def signature_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class SlackSide:
    """Posts commands, clicks, submissions and events to our web app, as Slack would."""

    def __init__(self, web: httpx.AsyncClient, fake: FakeSlack) -> None:
        self.web = web
        self.fake = fake
        self._ids = itertools.count(1)

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    async def post(
        self,
        body: str,
        content_type: str = FORM,
        *,
        signed: bool = True,
        secret: str = SIGNING_SECRET,
        timestamp: int | None = None,
        retry: int | None = None,
    ) -> httpx.Response:
        headers = {"Content-Type": content_type}
        if signed:
            headers |= signature_headers(body, secret=secret, timestamp=timestamp)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.web.post("/slack/events", content=body, headers=headers)

    def command_body(
        self, text: str, *, user: str = "U1", team: str = "T1", trigger_id: str | None = None
    ) -> tuple[str, str]:
        """The form body of `/toggl text`, and the response_url hook it carries."""
        hook = self.next_id("cmd-")
        form = {
            "token": "legacy-verification-token",
            "team_id": team,
            "team_domain": "fake",
            "channel_id": "C1",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/toggl",
            "text": text,
            "api_app_id": "A1",
            "response_url": self.fake.response_url(hook),
            "trigger_id": trigger_id or self.next_id("trigger-"),
        }
        return urlencode(form), hook

    async def command(self, text: str, **kwargs: Any) -> tuple[httpx.Response, str]:
        options = {k: kwargs.pop(k) for k in ("signed", "secret", "timestamp", "retry")
                   if k in kwargs}
        body, hook = self.command_body(text, **kwargs)
        return await self.post(body, **options), hook

    async def interaction(self, payload: dict[str, Any], **options: Any) -> httpx.Response:
        return await self.post(urlencode({"payload": json.dumps(payload)}), **options)

    async def click(
        self,
        button: dict[str, Any],
        *,
        user: str = "U1",
        team: str = "T1",
        ephemeral: bool = True,
        home: bool = False,
    ) -> tuple[httpx.Response, str]:
        """Click a button element taken from a rendered message or view."""
        hook = self.next_id("click-")
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": team},
            "api_app_id": "A1",
            "team": {"id": team, "domain": "fake"},
            "trigger_id": self.next_id("trigger-"),
            "actions": [{**button, "block_id": "b1", "action_ts": "1700000000.1"}],
        }
        if home:
            payload["container"] = {"type": "view", "view_id": "VHOME"}
            payload["view"] = {"id": "VHOME", "type": "home", "team_id": team}
        else:
            payload["container"] = {"type": "message", "message_ts": "1700000000.000100",
                                    "channel_id": "C1", "is_ephemeral": ephemeral}
            payload["channel"] = {"id": "C1", "name": "general"}
            payload["response_url"] = self.fake.response_url(hook)
        return await self.interaction(payload), hook

    async def submit_token(
        self, token: str, private_metadata: str, *, user: str = "U1", team: str = "T1"
    ) -> httpx.Response:
        from adapters.slack.views import LOGIN_CALLBACK, TOKEN_ACTION, TOKEN_BLOCK

        view = {
            "id": "VMODAL",
            "type": "modal",
            "callback_id": LOGIN_CALLBACK,
            "team_id": team,
            "private_metadata": private_metadata,
            "state": {"values": {TOKEN_BLOCK: {TOKEN_ACTION: {"type": "plain_text_input",
                                                               "value": token}}}},
        }
        payload = {
            "type": "view_submission",
            "user": {"id": user, "team_id": team},
            "team": {"id": team},
            "api_app_id": "A1",
            "trigger_id": self.next_id("trigger-"),
            "view": view,
        }
        return await self.interaction(payload)

    def event_body(self, event: dict[str, Any], *, team: str = "T1",
                   event_id: str | None = None) -> str:
        return json.dumps({
            "token": "legacy-verification-token",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or self.next_id("Ev"),
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        })

    async def home_opened(self, user: str = "U1", team: str = "T1") -> httpx.Response:
        event = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
        return await self.post(self.event_body(event, team=team), "application/json")


# -- reading what was sent -----------------------------------------------------------------


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def button(blocks: list[dict[str, Any]], label: str) -> dict[str, Any]:
    found = [b for b in buttons(blocks) if b["text"]["text"] == label]
    assert found, f"no {label!r} button in {[b['text']['text'] for b in buttons(blocks)]}"
    return found[0]


def text_of(blocks: list[dict[str, Any]]) -> str:
    """All visible text of some blocks, one line per text object."""
    parts: list[str] = []
    for block in blocks:
        for obj in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if isinstance(obj, dict) and isinstance(obj.get("text"), str):
                parts.append(obj["text"])
            elif isinstance(obj, dict) and isinstance(obj.get("text"), dict):
                parts.append(obj["text"]["text"])
    return "\n".join(parts)
