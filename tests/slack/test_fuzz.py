"""Fuzzing the Slack endpoint: any text, any body (huge, deep, slow), signed or not, never
a 500 or a trace."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.edge import WebLimits
from adapters.web import create_web_app
from bot import migrate
from bot.app import open_app
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.slack.conftest import settle, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_side import FORM, SlackSide, signature_headers

# Several thousand cases in CI; fewer locally so the suite stays quick.
EXAMPLES = 1500 if os.environ.get("CI") else 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = st.sampled_from([
    "<!channel>", "<!everyone>", "@everyone", "<@U2>", "*bold* _it_ ~s~", "```", "&amp;&lt;",
    "\u202e\u2066RTL", "👩‍💻🕒", "'; DROP TABLE users; --", "\x00\x07", "%s%n", "{0}", "\\",
])
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(NASTY, st.sampled_from(["start", "stop", "@", "#", "$", "summary",
                                               "..", "2026-02-30", "login", "digest at"]),
                       st.text(max_size=12)), max_size=12).map(" ".join),
    st.text(min_size=3000, max_size=5000),
)


@FUZZ
@given(text=TEXTS, user=st.integers(min_value=100, max_value=10**6))
async def test_any_command_text_is_acked_and_answered(
    slack: SlackSide, text: str, user: int
) -> None:
    response, _ = await slack.command(text, user=f"U{user}")
    assert response.status_code == 200


@FUZZ
@given(body=st.text(max_size=500), signed=st.booleans())
async def test_any_body_is_refused_or_ignored_never_a_crash(
    slack: SlackSide, body: str, signed: bool
) -> None:
    response = await slack.post(body, signed=signed)
    assert response.status_code in (200, 400, 401, 404)
    if not signed:
        assert response.status_code == 401


async def test_fuzzed_answers_read_well(slack: SlackSide) -> None:
    for text in ("<!channel> start", "start <!channel> @everyone", "\u202e" * 50, "x" * 5000):
        await slack.command(text, user="U77")
    await settle()
    answers = await slack.fake.wait_for("respond", count=4)
    for answer in answers:
        text = answer.payload.get("text", "") + str(answer.payload.get("blocks", ""))
        assert text
        assert "Traceback" not in text and "went wrong on our side" not in text
        assert "<!channel>" not in text and "@everyone" not in text.replace("&lt;", "")


# -- the edge: oversized, deeply nested and slow bodies ----------------------------------------

MB = 1024 * 1024
EDGE_FUZZ = settings(FUZZ, max_examples=min(EXAMPLES, 60))
_offsets = itertools.count(1)


def fresh_timestamp() -> int:
    """A distinct, valid timestamp per example: identical signed bytes would be a replay."""
    return int(time.time()) - next(_offsets) % 250


@EDGE_FUZZ
@given(size=st.integers(min_value=MB - 64, max_value=MB + 64), signed=st.booleans(),
       chunked=st.booleans())
async def test_bodies_around_the_size_limit(
    slack: SlackSide, size: int, signed: bool, chunked: bool
) -> None:
    body = "text=" + "a" * (size - 5)
    headers = {"Content-Type": FORM}
    if signed:
        headers |= signature_headers(body, timestamp=fresh_timestamp())

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, size, 256 * 1024):
            yield body[start:start + 256 * 1024].encode()

    content: Any = pieces() if chunked else body
    response = await slack.web.post("/slack/events", content=content, headers=headers)
    if size > MB:
        assert response.status_code == 413
    else:
        assert response.status_code == (400 if signed else 401)


@FUZZ
@given(
    depth=st.integers(min_value=1, max_value=200_000),
    shape=st.sampled_from([("[", "]", "application/json"), ('{"a":', "}", "application/json"),
                           ("payload=" + "%5B", "%5D", FORM), ('{"type":', "}", FORM)]),
    signed=st.booleans(),
)
async def test_deeply_nested_bodies_are_refused_without_a_crash(
    slack: SlackSide, depth: int, shape: tuple[str, str, str], signed: bool
) -> None:
    opener, closer, content_type = shape
    first, _, rest = opener.partition("=")
    opening = f"{first}={rest * depth}" if rest else opener * depth
    body = opening + "1" + closer * depth
    timestamp = fresh_timestamp() if signed else None
    response = await slack.post(body, content_type, signed=signed, timestamp=timestamp)
    if len(body) > MB:
        assert response.status_code == 413
    else:
        assert response.status_code == (400 if signed else 401)


@pytest.fixture
async def impatient(
    fake_slack: FakeSlack, fake_toggl: TogglEmulator, clock: ManualClock, sqlite_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    """The web app with a body deadline short enough to reach in every example."""
    migrate.upgrade(sqlite_url)
    toggl = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
    app = create_web_app(slack_settings(fake_slack, sqlite_url), limits=WebLimits(
        body_seconds=0.05), build=lambda s: open_app(
            s, toggl_http=toggl, clock=clock, toggl_pace=None))
    async with toggl, app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t.test") as web:
            yield web


@EDGE_FUZZ
@given(sent=st.lists(st.binary(max_size=2000), max_size=5), signed=st.booleans())
async def test_a_body_that_stops_coming_gets_408(
    impatient: httpx.AsyncClient, sent: list[bytes], signed: bool
) -> None:
    async def stalls() -> AsyncIterator[bytes]:
        for piece in sent:
            yield piece
        await asyncio.Event().wait()  # the rest never comes
        yield b""

    headers = signature_headers("x", timestamp=fresh_timestamp()) if signed else {}
    response = await impatient.post("/slack/events", content=stalls(), headers=headers)
    assert response.status_code == 408
