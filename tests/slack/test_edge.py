"""The web app's edge, end to end: sizes, refusals and their log lines, odd bodies, replays.

Everything goes through create_web_app (lifespan, core, bolt) with signed or unsigned
HTTP, as Slack or an attacker would send it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import httpx
import pytest

from adapters.edge import WebLimits
from adapters.web import create_web_app
from bot import migrate
from bot.app import open_app
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.slack.conftest import running, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_side import FORM, SlackSide, signature_headers
from tests.toggl_fixtures import ADA_TOKEN

MB = 1024 * 1024
EDGE = "togglbot.edge"
FORGED_LINE = "2026-11-30 10:00:00,000 INFO bot.core command=Login user=U9 outcome=ok"


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record, from every library, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    return caplog


def refusals(log: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in log.records if r.name == EDGE]


@pytest.fixture
def bolt_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bodies slack-bolt parsed (its parse_body, as its request object calls it)."""
    import slack_bolt.request.async_request as bolt_request

    parsed: list[str] = []
    original = bolt_request.parse_body

    def spy(body: str, content_type: str | None) -> object:
        parsed.append(body)
        return original(body, content_type)

    monkeypatch.setattr(bolt_request, "parse_body", spy)
    return parsed


async def chunks(total: int, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """A body sent in pieces with no Content-Length (chunked)."""
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"a" * piece


class TestSize:
    async def test_a_body_declared_over_1_mb_is_refused_before_it_is_read(
        self, slack: SlackSide, log: pytest.LogCaptureFixture, bolt_parses: list[str]
    ) -> None:
        body = "text=" + "a" * (2 * MB)
        response = await slack.post(body)  # signed, and still too big
        assert response.status_code == 413
        assert response.headers["connection"] == "close"
        assert bolt_parses == []
        [line] = refusals(log)
        assert line.startswith(f"refused POST /slack/events, {len(body)} bytes: body over")

    async def test_a_chunked_body_that_grows_past_1_mb_is_refused(
        self, slack: SlackSide, log: pytest.LogCaptureFixture, bolt_parses: list[str]
    ) -> None:
        response = await slack.web.post("/slack/events", content=chunks(3 * MB))
        assert response.status_code == 413
        assert bolt_parses == []
        [line] = refusals(log)
        assert "body over the 1048576 byte limit" in line

    async def test_a_body_at_the_limit_is_read_and_checked(self, slack: SlackSide) -> None:
        response = await slack.post("text=" + "a" * (MB - 5), signed=False)
        assert response.status_code == 401

    async def test_a_body_that_never_finishes_is_refused_at_the_deadline(
        self,
        fake_slack: FakeSlack,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        sqlite_url: str,
        log: pytest.LogCaptureFixture,
    ) -> None:
        async def stalls() -> AsyncIterator[bytes]:
            yield b"command=%2Ftoggl&text="
            await asyncio.Event().wait()  # never sends the rest
            yield b""

        migrate.upgrade(sqlite_url)
        limits = WebLimits(body_seconds=0.2)
        settings = slack_settings(fake_slack, sqlite_url)
        toggl = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
        app = create_web_app(settings, limits=limits,
                             build=lambda s: open_app(
            s, toggl_http=toggl, clock=clock, toggl_pace=None))
        async with toggl, app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t.test") as web:
                response = await web.post("/slack/events", content=stalls())
        assert response.status_code == 408
        [line] = refusals(log)
        assert line == "refused POST /slack/events, 22 bytes: body not complete within 0.2 s"


class TestBeforeBolt:
    @pytest.mark.parametrize(
        "headers",
        [
            pytest.param({}, id="unsigned"),
            pytest.param({"secret": "someone-elses-secret"}, id="forged"),
            pytest.param({"timestamp": int(time.time()) - 400}, id="stale"),
        ],
    )
    async def test_refused_requests_are_never_parsed(
        self, slack: SlackSide, bolt_parses: list[str], headers: dict[str, object]
    ) -> None:
        body = urlencode({"payload": "[" * 50_000})
        signed = headers if headers else {"signed": False}
        response = await slack.post(body, **signed)  # type: ignore[arg-type]
        assert response.status_code == 401
        assert bolt_parses == []


class TestRefusalLogs:
    async def test_a_refused_login_is_one_line_without_the_token_or_the_body(
        self, ada: SlackSide, log: pytest.LogCaptureFixture
    ) -> None:
        """A stale signature on `/toggl login <token>` whose text forges a log line."""
        body, _ = ada.command_body(f"login {ADA_TOKEN}\n{FORGED_LINE}")
        response = await ada.post(body, timestamp=int(time.time()) - 600)
        assert response.status_code == 401
        await asyncio.sleep(0.1)
        everything = "\n".join(r.getMessage() for r in log.records)
        assert ADA_TOKEN not in everything and "command=Login" not in everything
        assert "login" not in everything.lower()
        assert refusals(log) == [
            f"refused POST /slack/events, {len(body)} bytes: timestamp outside the 5-minute window"
        ]

    async def test_bolt_itself_never_logs_a_body_it_refuses(
        self, slack: SlackSide, log: pytest.LogCaptureFixture
    ) -> None:
        """Bolt's own second check, reached without the gate, writes nothing of the body."""
        from slack_bolt.request.async_request import AsyncBoltRequest

        app = slack.web._transport.app.state.slack.app  # type: ignore[attr-defined]
        body = f"text=login+{ADA_TOKEN}"
        headers = {"content-type": FORM, **signature_headers(body, secret="wrong")}
        response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
        assert response.status == 401
        messages = [r.getMessage() for r in log.records]
        assert not [m for m in messages if "body" in m or ADA_TOKEN in m]

    async def test_no_line_can_be_split_by_what_the_client_sends(
        self, slack: SlackSide, log: pytest.LogCaptureFixture
    ) -> None:
        path = "/slack/events%0A" + FORGED_LINE.replace(" ", "%20")
        response = await slack.web.post(path, content=b"a" * (2 * MB))
        assert response.status_code == 413
        [line] = refusals(log)
        assert "\n" not in line and "\r" not in line and len(line) < 300


UNSIGNED_ODDITIES = [
    ("[]", "application/json"),
    ("1", "application/json"),
    ("null", "application/json"),
    ("[" * 100_000 + "]" * 100_000, "application/json"),
    ('{"a":' * 100_000 + "1" + "}" * 100_000, "application/json"),
    ("payload=%5B1%5D", FORM),
    ("payload=" + "%5B" * 100_000, FORM),
    ("", FORM),
]
ODD_IDS = ["list", "number", "null", "deep-list", "deep-object", "payload-list", "payload-deep",
           "empty"]


class TestOddBodies:
    @pytest.mark.parametrize(("body", "content_type"), UNSIGNED_ODDITIES, ids=ODD_IDS)
    async def test_unsigned_odd_bodies_are_401_in_one_line(
        self, slack: SlackSide, log: pytest.LogCaptureFixture, body: str, content_type: str
    ) -> None:
        response = await slack.post(body, content_type, signed=False)
        assert response.status_code == 401
        assert len(refusals(log)) == 1
        assert not [r for r in log.records if r.exc_info or r.levelno >= logging.ERROR]

    @pytest.mark.parametrize(("body", "content_type"), UNSIGNED_ODDITIES[:-1], ids=ODD_IDS[:-1])
    async def test_signed_odd_bodies_are_400_in_one_line(
        self, slack: SlackSide, log: pytest.LogCaptureFixture, body: str, content_type: str
    ) -> None:
        response = await slack.post(body, content_type)
        assert response.status_code == 400
        assert len(refusals(log)) == 1
        assert not [r for r in log.records if r.exc_info or r.levelno >= logging.ERROR]

    @pytest.mark.parametrize("timestamp", ["abc", "1.5", "", "1e9", "-5"])
    async def test_odd_timestamps_are_401(
        self, slack: SlackSide, log: pytest.LogCaptureFixture, timestamp: str
    ) -> None:
        body, _ = slack.command_body("help")
        headers = {"Content-Type": FORM, **signature_headers(body)}
        headers["X-Slack-Request-Timestamp"] = timestamp
        response = await slack.web.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 401
        assert not [r for r in log.records if r.exc_info or r.levelno >= logging.ERROR]


class TestReplays:
    async def test_the_same_signed_bytes_run_once(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        body, _ = ada.command_body("start standup")
        headers = {"Content-Type": FORM, **signature_headers(body)}
        first = await ada.web.post("/slack/events", content=body, headers=headers)
        again = await ada.web.post("/slack/events", content=body, headers=headers)
        assert (first.status_code, again.status_code) == (200, 401)
        await ada.fake.wait_for("respond")
        await asyncio.sleep(0.1)
        assert fake_toggl.count("POST") == 1

    async def test_a_replay_after_a_restart_or_in_another_process_is_refused(
        self,
        fake_slack: FakeSlack,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        migrated_url: str,
    ) -> None:
        settings = slack_settings(fake_slack, migrated_url)
        side = SlackSide(httpx.AsyncClient(), fake_slack)
        body, _ = side.command_body("help")
        headers = {"Content-Type": FORM, **signature_headers(body)}
        async with running(settings, fake_toggl, clock) as web:
            first = await web.post("/slack/events", content=body, headers=headers)
            await fake_slack.wait_for("respond")
            async with running(settings, fake_toggl, clock) as other:  # a second process
                beside = await other.post("/slack/events", content=body, headers=headers)
        async with running(settings, fake_toggl, clock) as restarted:
            after = await restarted.post("/slack/events", content=body, headers=headers)
        assert (first.status_code, beside.status_code, after.status_code) == (200, 401, 401)
        await asyncio.sleep(0.1)
        assert len(fake_slack.of("respond")) == 1
