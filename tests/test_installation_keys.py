"""Installations (they hold Slack bot tokens) rotate to a new key like Toggl tokens do."""

from __future__ import annotations

from pydantic import SecretStr

from bot.crypto import Rotation, TokenCipher
from bot.store.engine import create_engine_for
from bot.store.installations import InstallationKey, SqlInstallationStore


async def test_rotation_re_encrypts_installations(migrated_url: str) -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    engine = create_engine_for(migrated_url)
    try:
        key = InstallationKey("slack", "", "T1")
        await SqlInstallationStore(engine, TokenCipher.from_setting(old)).save(
            key, SecretStr('{"bot_token": "xoxb-secret"}')
        )
        both = SqlInstallationStore(engine, TokenCipher.from_setting(f"{new},{old}"))
        assert await both.rotate_keys() == Rotation(1)
        only_new = SqlInstallationStore(engine, TokenCipher.from_setting(new))
        document = await only_new.find(key)
        assert document is not None and "xoxb-secret" in document.get_secret_value()
    finally:
        await engine.dispose()
