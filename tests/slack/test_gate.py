"""The signature gate alone: what it admits, and why it refuses the rest."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

import pytest
from starlette.datastructures import Headers

from adapters.slack.gate import REMEMBER, SlackGate
from bot.errors import StorageUnavailable
from tests.slack.slack_side import SIGNING_SECRET

NOW = 1_790_000_000
COMMAND = b"command=%2Ftoggl&text=help&team_id=T1&user_id=U1"


class MemorySeen:
    """The SeenRequests port in memory."""

    def __init__(self) -> None:
        self.keys: dict[str, datetime] = {}
        self.down = False

    async def first_time(self, key: str, expires_at: datetime) -> bool:
        if self.down:
            raise StorageUnavailable()
        if key in self.keys:
            return False
        self.keys[key] = expires_at
        return True


@pytest.fixture
def seen() -> MemorySeen:
    return MemorySeen()


@pytest.fixture
def gate(seen: MemorySeen) -> SlackGate:
    return SlackGate(SIGNING_SECRET, seen, clock=lambda: NOW)


def signed(body: bytes, timestamp: int = NOW, **extra: str) -> Headers:
    """Signed over the raw bytes, as Slack signs."""
    base = f"v0:{timestamp}:".encode() + body
    digest = hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return Headers({"X-Slack-Request-Timestamp": str(timestamp),
                    "X-Slack-Signature": f"v0={digest}", **extra})


async def test_a_signed_command_is_admitted_once(gate: SlackGate, seen: MemorySeen) -> None:
    headers = signed(COMMAND)
    assert await gate.check(COMMAND, headers) is None
    refusal = await gate.check(COMMAND, headers)
    assert refusal is not None and refusal.status == 401 and "replayed" in refusal.reason
    [expires] = seen.keys.values()
    assert expires.timestamp() == NOW + REMEMBER


FULLWIDTH = "１７９００００００".encode().decode("latin-1")  # as a header arrives


@pytest.mark.parametrize("timestamp", ["abc", "1.5", "", "-1", FULLWIDTH, " 1790000000",
                                       "1790000000 ", "9" * 40, "0x6AB1E780"])
async def test_malformed_timestamps_are_unsigned(gate: SlackGate, timestamp: str) -> None:
    headers = dict(signed(COMMAND))
    headers["x-slack-request-timestamp"] = timestamp
    refusal = await gate.check(COMMAND, Headers(headers))
    assert refusal is not None and refusal.status == 401


@pytest.mark.parametrize("skew", [-301, 301, -10**6])
async def test_stale_or_future_timestamps_are_refused(gate: SlackGate, skew: int) -> None:
    refusal = await gate.check(COMMAND, signed(COMMAND, timestamp=NOW + skew))
    assert refusal is not None and refusal.status == 401 and "window" in refusal.reason


async def test_a_repeated_signature_header_is_refused(gate: SlackGate) -> None:
    headers = signed(COMMAND)
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"x-slack-signature", headers["x-slack-signature"].encode()))
    refusal = await gate.check(COMMAND, Headers(raw=raw))
    assert refusal is not None and refusal.status == 401


async def test_the_signature_covers_the_raw_bytes(gate: SlackGate) -> None:
    body = b"text=caf\xe9"  # not UTF-8: signed as bytes, then refused as no Slack body
    refusal = await gate.check(body, signed(body))
    assert refusal is not None and refusal.status == 400
    refusal = await gate.check(body + b"x", signed(body))
    assert refusal is not None and refusal.status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"[]", "application/json"),
        (b"1", "application/json"),
        (b"null", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "application/json"),
        (b"{not json", "application/json"),
        (b"payload=%5B1%5D", "application/x-www-form-urlencoded"),
        (b"payload=null", "application/x-www-form-urlencoded"),
        (b"payload=" + b"%5B" * 100_000, "application/x-www-form-urlencoded"),
    ],
    ids=["list", "number", "null", "deep-list", "deep-object", "bad-json", "payload-list",
         "payload-null", "payload-deep"],
)
async def test_signed_bodies_of_the_wrong_shape_are_400(
    gate: SlackGate, body: bytes, content_type: str
) -> None:
    refusal = await gate.check(body, signed(body, **{"Content-Type": content_type}))
    assert refusal is not None and refusal.status == 400


async def test_without_the_database_a_signed_request_is_503(
    gate: SlackGate, seen: MemorySeen
) -> None:
    seen.down = True
    refusal = await gate.check(COMMAND, signed(COMMAND))
    assert refusal is not None and refusal.status == 503


def test_the_secret_is_not_in_the_repr(gate: SlackGate) -> None:
    assert SIGNING_SECRET not in repr(gate)
