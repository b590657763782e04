"""Issue 15 item 6: a changed TOKEN_ENCRYPTION_KEY costs people a login, not their account."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.console import ConsoleBot
from bot.core import Core
from bot.crypto import TokenCipher
from bot.domain import Account, UserKey
from bot.migrate import upgrade
from bot.replies import Tone
from bot.store.accounts import SqlAccountStore
from bot.store.engine import opened_engine
from bot.store.installations import InstallationKey, SqlInstallationStore
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.test_cli import togglbot

OPERATOR_WORDS = "TOKEN_ENCRYPTION_KEY"


@pytest.fixture
async def after_restart(
    sqlite_store: SqlAccountStore, toggl_client: TogglClient, clock: ManualClock,
    toggl_token: str,
) -> AsyncIterator[ConsoleBot]:
    """Ada logged in; then the bot restarted with another key (same database)."""
    before = ConsoleBot(Core(sqlite_store, toggl_client, clock=clock), "U1", "T1")
    assert (await before.login(toggl_token)).title.startswith("Connected")
    new_key = TokenCipher.from_setting(TokenCipher.generate_key())
    restarted = SqlAccountStore(sqlite_store.engine, new_key)
    yield ConsoleBot(Core(restarted, toggl_client, clock=clock), "U1", "T1")


class TestThePerson:
    async def test_is_told_to_log_in_again_not_the_operators_message(
        self, after_restart: ConsoleBot
    ) -> None:
        reply = await after_restart.send("current")
        assert "log in again" in reply.title and reply.tone is Tone.ERROR
        assert OPERATOR_WORDS not in reply.text() and "keys rotate" not in reply.text()

    async def test_help_still_works(self, after_restart: ConsoleBot) -> None:
        assert (await after_restart.send("help")).title == "togglbot commands"

    async def test_login_replaces_the_unreadable_token(
        self, after_restart: ConsoleBot, toggl_token: str
    ) -> None:
        assert (await after_restart.login(toggl_token)).title.startswith("Connected")
        assert "log in again" not in (await after_restart.send("current")).title

    async def test_logout_works_without_reading_it(self, after_restart: ConsoleBot) -> None:
        assert (await after_restart.send("logout")).title == "Disconnected"
        assert await after_restart.core.store.get_account(UserKey("console", "T1", "U1")) is None


async def test_the_operator_log_says_why_once(
    after_restart: ConsoleBot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.store.accounts"):
        for _ in range(3):
            await after_restart.send("current")
    said = [r for r in caplog.records if OPERATOR_WORDS in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.WARNING


async def seed(url: str, lost_key: str, kept_key: str) -> None:
    """Three people and an installation under the kept key, one person under a lost key."""
    async with opened_engine(url) as engine:
        kept = TokenCipher.from_setting(kept_key)
        lost = SqlAccountStore(engine, TokenCipher.from_setting(lost_key))
        for n, store in ((1, None), (2, None), (3, None), (4, lost)):
            target = store or SqlAccountStore(engine, kept)
            person = Account(UserKey("slack", "T0FAKE", f"U{n}"), SecretStr(f"tok{n}" * 8), n, 1,
                             "UTC")
            await target.save_account(person, create=True)
        await SqlInstallationStore(engine, kept).save(
            InstallationKey("slack", "", "T0FAKE"), SecretStr("{}")
        )


async def test_keys_rotate_rotates_every_readable_row_and_names_the_rest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bot.db"
    upgrade(url)
    kept, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    await seed(url, TokenCipher.generate_key(), kept)
    result = togglbot("keys", "rotate", cwd=tmp_path,
                      env={"DATABASE_URL": url, "TOKEN_ENCRYPTION_KEY": f"{new},{kept}"})
    assert result.returncode == 1
    assert "re-encrypted 4 token(s) and installation(s)" in result.stdout
    assert "slack T0FAKE U4" in result.stderr and "1 row(s) could not be read" in result.stderr
    assert "U1" not in result.stderr and "Traceback" not in result.stderr
    async with opened_engine(url) as engine:
        only_new = SqlAccountStore(engine, TokenCipher.from_setting(new))
        moved = await only_new.get_account(UserKey("slack", "T0FAKE", "U3"))
        assert moved is not None and moved.token.get_secret_value() == "tok3" * 8
