"""The `worker` process runs reminders beside digests, sending them as Slack DMs."""

from __future__ import annotations

from datetime import time, timedelta

from pydantic import SecretStr

from adapters.worker import schedulers
from bot import migrate
from bot.config import Settings as Config
from bot.crypto import TokenCipher
from bot.emulator import TogglEmulator
from bot.remind.model import Hours, Settings
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for
from bot.store.reminders import SqlReminderStore
from bot.testing.clock import ManualClock
from tests.digest.fake_platforms import FakeSlackApi
from tests.digest.helpers import add_member, at
from tests.digest.test_worker import slack_api, toggl_url

__all__ = ["slack_api", "toggl_url"]


async def test_the_worker_sends_a_reminder_as_a_dm_from_the_app(
    sqlite_url: str, slack_api: FakeSlackApi, toggl_url: str, fake_toggl: TogglEmulator,
    clock: ManualClock,
) -> None:
    key = TokenCipher.generate_key()
    config = Config(
        _env_file=None, DATABASE_URL=sqlite_url, TOKEN_ENCRYPTION_KEY=SecretStr(key),
        SLACK_BOT_TOKEN=SecretStr("xoxb-single"), SLACK_API_URL=slack_api.base_url + "/api/",
        TOGGL_API_URL=toggl_url,
    )
    migrate.upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    member, _ = await add_member(fake_toggl, SqlAccountStore(engine, TokenCipher.from_setting(key)),
                                 "U7", "Ada Lovelace")
    clock.set(at("2026-11-24T08:00+00:00"))  # 09:00 in Berlin
    await SqlReminderStore(engine).save(
        member, Settings(Hours(time(9), time(17)), idle=timedelta(minutes=30)), clock())
    await engine.dispose()

    async with schedulers(config, clock=clock) as both:
        assert await both.reminders.run_once() == {"planned": 1}
        clock.advance(minutes=30)
        assert await both.reminders.run_once() == {"sent": 1}
        assert await both.reminders.run_once() == {}

    [dm] = slack_api.of("chat.postMessage")
    assert dm.token == "xoxb-single" and dm.payload["channel"] == "U7"
    assert dm.payload["text"] == "No timer running for 30m"
