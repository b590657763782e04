"""Multi-workspace installs: OAuth state, encrypted installations, per-workspace tokens."""

from __future__ import annotations

import re
import time

import pytest
from pydantic import SecretStr
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import text

from adapters.slack.installations import SignedStateStore, SlackInstallationStore
from bot import migrate
from bot.crypto import TokenCipher
from bot.emulator import TogglEmulator
from bot.store.engine import create_engine_for
from bot.store.installations import SqlInstallationStore
from bot.testing.clock import ManualClock
from tests.slack.conftest import running, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_side import SlackSide, text_of

NINE_TOKEN = "xoxb-nine-bot-token"  # a test value
CLIENT_SECRET = "test-client-secret"


class TestState:
    async def test_issued_state_is_accepted_until_it_expires(self) -> None:
        now = [1_000_000.0]
        store = SignedStateStore(SecretStr(CLIENT_SECRET), 600, clock=lambda: now[0])
        state = await store.async_issue()
        assert await store.async_consume(state)
        now[0] += 601
        assert not await store.async_consume(state)

    async def test_forged_states_are_refused(self) -> None:
        store = SignedStateStore(SecretStr(CLIENT_SECRET))
        other = SignedStateStore(SecretStr("another-secret"))
        state = await store.async_issue()
        assert not await store.async_consume(await other.async_issue())
        assert not await store.async_consume(state[:-1] + ("0" if state[-1] != "0" else "1"))
        assert not await store.async_consume("garbage")


def nine(team: str = "T9", enterprise: str | None = None, org_wide: bool = False) -> Installation:
    return Installation(
        app_id="A1", enterprise_id=enterprise, team_id=None if org_wide else team,
        team_name="Nine", bot_token=NINE_TOKEN, bot_id="B9", bot_user_id="UBOT9",
        bot_scopes=["commands", "chat:write"], user_id="U9", is_enterprise_install=org_wide,
        installed_at=time.time(),
    )


class TestInstallationStore:
    @pytest.fixture
    async def stores(self, sqlite_url: str) -> tuple[SlackInstallationStore, str]:
        migrate.upgrade(sqlite_url)
        engine = create_engine_for(sqlite_url)
        cipher = TokenCipher.from_setting(TokenCipher.generate_key())
        yield SlackInstallationStore(SqlInstallationStore(engine, cipher)), sqlite_url
        await engine.dispose()

    async def test_bots_round_trip_encrypted(self, stores: tuple) -> None:
        store, url = stores
        await store.async_save(nine())
        bot = await store.async_find_bot(enterprise_id=None, team_id="T9")
        assert bot is not None and bot.bot_token == NINE_TOKEN and bot.bot_user_id == "UBOT9"
        assert await store.async_find_bot(enterprise_id=None, team_id="T8") is None
        engine = create_engine_for(url)
        async with engine.connect() as conn:
            raw = await conn.scalar(text("SELECT document_ciphertext FROM installations"))
        await engine.dispose()
        assert NINE_TOKEN.encode() not in raw

    async def test_reinstall_replaces_and_uninstall_deletes(self, stores: tuple) -> None:
        store, _ = stores
        await store.async_save(nine())
        again = nine()
        again.bot_token = "xoxb-nine-new"
        await store.async_save(again)
        bot = await store.async_find_bot(enterprise_id=None, team_id="T9")
        assert bot is not None and bot.bot_token == "xoxb-nine-new"
        await store.async_delete_all(enterprise_id=None, team_id="T9")
        assert await store.async_find_bot(enterprise_id=None, team_id="T9") is None

    async def test_an_org_wide_install_serves_every_workspace_of_the_org(
        self, stores: tuple
    ) -> None:
        store, _ = stores
        await store.async_save(nine(enterprise="E1", org_wide=True))
        bot = await store.async_find_bot(enterprise_id="E1", team_id="T77")
        assert bot is not None and bot.bot_token == NINE_TOKEN


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_install_then_serve_the_new_workspace_with_its_own_token(
    fake_slack: FakeSlack, fake_toggl: TogglEmulator, clock: ManualClock, sqlite_url: str
) -> None:
    migrate.upgrade(sqlite_url)
    settings = slack_settings(
        fake_slack, sqlite_url, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET=SecretStr(CLIENT_SECRET),
    )
    fake_slack.teams[NINE_TOKEN] = "T9"
    fake_slack.oauth_answer = {
        "access_token": NINE_TOKEN, "token_type": "bot", "scope": "commands,chat:write",
        "bot_user_id": "UBOT9", "app_id": "A1", "team": {"id": "T9", "name": "Nine"},
        "enterprise": None, "is_enterprise_install": False, "authed_user": {"id": "U9"},
    }
    async with running(settings, fake_toggl, clock) as web:
        page = await web.get("/slack/install")
        assert page.status_code == 200
        state = re.search(r"state=([^&\"]+)", page.text)
        assert state is not None
        cookie = page.headers["set-cookie"].split(";")[0]
        done = await web.get(
            f"/slack/oauth_redirect?code=abc&state={state.group(1)}", headers={"Cookie": cookie}
        )
        assert done.status_code == 200, done.text
        assert fake_slack.of("oauth.v2.access")

        slack = SlackSide(web, fake_slack)
        await slack.home_opened(user="U9", team="T9")
        [published] = await fake_slack.wait_for("views.publish")
        assert published.token == NINE_TOKEN
        assert "Not connected to Toggl" in text_of(published.payload["view"]["blocks"])

        stolen = await web.get(f"/slack/oauth_redirect?code=abc&state={state.group(1)}")
        assert stolen.status_code == 400  # no cookie: not the browser that started it
