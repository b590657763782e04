"""Subscribed events the app must answer in every mode: app_uninstalled, tokens_revoked.

Bolt answers 404 to an event nobody listens to, and Slack retries it; both are answered
200 in single-workspace and OAuth mode, and the workspace's digests are turned off.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from datetime import time as clock_time
from typing import Any

import pytest
from pydantic import SecretStr
from slack_sdk.oauth.installation_store.models.installation import Installation

from adapters.slack.installations import SlackInstallationStore
from adapters.slack.manifest import BOT_EVENTS
from bot import migrate
from bot.crypto import TokenCipher
from bot.digest.model import Channel, Schedule
from bot.emulator import TogglEmulator
from bot.store.digests import SqlDigestStore
from bot.store.engine import create_engine_for
from bot.store.installations import SqlInstallationStore
from bot.testing.clock import ManualClock
from tests.slack.conftest import running, settle, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_side import SlackSide

JSON = "application/json"
UNINSTALLED = {"type": "app_uninstalled"}
BOT_REVOKED = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
USER_REVOKED = {"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}
EIGHTEEN = Schedule(clock_time(18), "UTC")


@pytest.fixture
async def digests(sqlite_url: str) -> AsyncIterator[SqlDigestStore]:
    migrate.upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    store = SqlDigestStore(engine)
    for team in ("T1", "T2"):
        await store.subscribe(Channel("slack", team, "C1"), EIGHTEEN, set_up_by="U1")
    yield store
    await engine.dispose()


async def enabled_teams(digests: SqlDigestStore) -> list[str]:
    return [d.channel.team_id for d in await digests.enabled()]


async def deliver(slack: SlackSide, event: dict[str, Any], team: str = "T1") -> int:
    response = await slack.post(slack.event_body(event, team=team), JSON)
    await settle()  # bolt acks first and runs the listener after
    return response.status_code


def test_the_manifest_subscribes_to_exactly_these() -> None:
    assert set(BOT_EVENTS) == {"app_home_opened", "app_uninstalled", "tokens_revoked"}


class TestSingleWorkspace:
    async def test_uninstalled_is_answered_and_stops_that_workspaces_digests(
        self, slack: SlackSide, digests: SqlDigestStore, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.ERROR):
            assert await deliver(slack, UNINSTALLED) == 200
        assert await enabled_teams(digests) == ["T2"]
        assert "SLACK_BOT_TOKEN no longer works" in caplog.text

    async def test_a_revoked_bot_token_does_the_same(
        self, slack: SlackSide, digests: SqlDigestStore
    ) -> None:
        assert await deliver(slack, BOT_REVOKED) == 200
        assert await enabled_teams(digests) == ["T2"]

    async def test_revoked_user_tokens_change_nothing(
        self, slack: SlackSide, digests: SqlDigestStore
    ) -> None:
        assert await deliver(slack, USER_REVOKED) == 200
        assert await enabled_teams(digests) == ["T1", "T2"]


async def test_with_oauth_the_installation_is_deleted_too(
    fake_slack: FakeSlack, fake_toggl: TogglEmulator, clock: ManualClock, sqlite_url: str,
    digests: SqlDigestStore,
) -> None:
    key = TokenCipher.generate_key()
    settings = slack_settings(
        fake_slack, sqlite_url, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET=SecretStr("test-client-secret"), TOKEN_ENCRYPTION_KEY=SecretStr(key),
    )
    engine = create_engine_for(sqlite_url)
    installations = SlackInstallationStore(
        SqlInstallationStore(engine, TokenCipher.from_setting(key))
    )
    await installations.async_save(Installation(
        app_id="A1", team_id="T1", bot_token="xoxb-one", bot_id="B1", bot_user_id="UBOT",
        bot_scopes=["commands"], user_id="U1", installed_at=time.time(),
    ))
    try:
        async with running(settings, fake_toggl, clock) as web:
            assert await deliver(SlackSide(web, fake_slack), UNINSTALLED) == 200
        assert await installations.async_find_bot(enterprise_id=None, team_id="T1") is None
        assert await enabled_teams(digests) == ["T2"]
    finally:
        await engine.dispose()
