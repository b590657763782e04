"""Slack's signature, checked on the raw bytes before slack-bolt parses anything.

Unsigned, forged, stale and replayed requests are refused here with 401 having cost one
HMAC; nothing of them is parsed or logged. A signed body that is no Slack request (bad
UTF-8, not a JSON object, nested too deep) gets 400. The signature of every accepted
request is remembered in the database (the SeenRequests port) until it can no longer be
valid, so the same bytes are refused the second time in every process, after restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers

from bot.errors import StorageUnavailable
from bot.ports import SeenRequests

WINDOW = 5 * 60  # Slack's: a timestamp further than this from now is stale
# Remembered a minute past the window, in case the processes' clocks disagree a little.
REMEMBER = WINDOW + 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    reason: str  # ours, for the log: never any of the request's content


class SlackGate:
    """Admits a request only if Slack signed these exact bytes, recently, once."""

    def __init__(
        self,
        signing_secret: str,
        seen: SeenRequests,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = signing_secret.encode()
        self._seen = seen
        self._clock = clock

    def __repr__(self) -> str:
        return "SlackGate()"  # the signing secret stays out of every repr

    async def check(self, body: bytes, headers: Headers) -> Refusal | None:
        """None when the request may go to bolt; otherwise why not, and the status."""
        timestamp = _only(headers.getlist("x-slack-request-timestamp"))
        signature = _only(headers.getlist("x-slack-signature"))
        if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return Refusal(401, "unsigned (no valid signature or timestamp header)")
        sent = int(timestamp)
        if abs(self._clock() - sent) > WINDOW:
            return Refusal(401, "timestamp outside the 5-minute window")
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            return Refusal(401, "bad signature")
        try:
            first = await self._seen.first_time(f"slack:{signature}", _at(sent + REMEMBER))
        except StorageUnavailable:
            return Refusal(503, "cannot check for replays: the database is unavailable")
        if not first:
            return Refusal(401, "replayed (this signature was already accepted)")
        if not _is_slack_shaped(body, headers.get("content-type", "").split(";")[0]):
            return Refusal(400, "signed, but not a Slack request body")
        return None


def _only(values: list[str]) -> str:
    # Bolt reads the last of repeated headers, we would read the first: allow just one.
    return values[0] if len(values) == 1 else ""


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _is_slack_shaped(body: bytes, content_type: str) -> bool:
    """The body reads as a Slack request: a JSON object, or a form (its ``payload`` field,
    if any, a JSON object)."""
    return slack_body(body, content_type) is not None


def slack_body(body: bytes, content_type: str) -> dict[str, Any] | None:
    """A Slack request body as bolt should read it; None when it reads as nothing.

    Bolt's own parser takes any form body that merely *contains* the word "payload" for
    an interaction, so `/toggl start Review the payload format` read as nothing; here only
    a form field named ``payload`` is one.
    """
    try:
        text = body.decode("utf-8")
        if content_type == "application/json" or text.startswith("{"):
            parsed: Any = json.loads(text)
        else:
            fields = dict(parse_qsl(text, keep_blank_values=True))
            parsed = json.loads(fields["payload"]) if "payload" in fields else fields
    except (ValueError, RecursionError):  # bad UTF-8 and bad JSON are ValueErrors
        return None
    return parsed if isinstance(parsed, dict) else None
