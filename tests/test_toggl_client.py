"""The Toggl client's retry and error rules, against the fake over httpx."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from bot.emulator import TogglEmulator
from bot.errors import TogglRejected, TogglUnavailable, TokenRejected
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient, TogglSession, Transport
from tests.core_fixtures import API, no_sleep


@pytest.fixture
def session(toggl_client: TogglClient, toggl_token: str) -> TogglSession:
    return toggl_client.session(SecretStr(toggl_token))


class TestRetries:
    async def test_safe_requests_retry_5xx_then_succeed(
        self, session: TogglSession, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(503, times=2)
        assert await session.current_entry() is None
        assert fake_toggl.count() == 3

    async def test_retries_are_bounded(
        self, session: TogglSession, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(500, times=10)
        with pytest.raises(TogglUnavailable):
            await session.current_entry()
        assert fake_toggl.count() == 3

    async def test_a_slow_answer_times_out_and_is_retried(
        self, session: TogglSession, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(200, delay=1.0)
        assert await session.current_entry() is None
        assert fake_toggl.count() == 2

    async def test_post_is_never_blindly_repeated(
        self, session: TogglSession, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        fake_toggl.inject(500, method="POST")
        with pytest.raises(TogglUnavailable) as caught:
            await session.create_client(fake_toggl.workspace_ids()[0], "Once")
        assert caught.value.maybe_applied
        assert fake_toggl.count(method="POST") == 1

    async def test_malformed_json_is_unavailable_not_a_crash(
        self, session: TogglSession, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(malformed_json=True, times=3)
        with pytest.raises(TogglUnavailable):
            await session.current_entry()


class TestErrors:
    async def test_bad_token_is_token_rejected_and_never_in_the_message(
        self, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
        transport = Transport(API, http=http, clock=clock, sleep=no_sleep)
        secret = "s3cr3t-token-value"
        session = TogglClient(transport, clock).session(SecretStr(secret))
        with pytest.raises(TokenRejected) as caught:
            await session.me()
        assert secret not in str(caught.value) and secret not in repr(session)
        await http.aclose()

    async def test_409_keeps_toggls_words(
        self, session: TogglSession, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        wid = fake_toggl.workspace_ids()[0]
        entry = (await session.start_entry(wid, "x", start=clock())).entry
        await session.stop_entry(wid, entry.id)
        with pytest.raises(TogglRejected) as caught:
            await session.stop_entry(wid, entry.id)
        assert caught.value.status == 409
        assert "already stopped" in caught.value.message

    async def test_connection_refused_is_unavailable(self, clock: ManualClock) -> None:
        transport = Transport("http://127.0.0.1:1/api/v9", clock=clock, sleep=no_sleep)
        session = TogglClient(transport, clock).session(SecretStr("x" * 32))
        with pytest.raises(TogglUnavailable):
            await session.current_entry()
        await transport.aclose()
