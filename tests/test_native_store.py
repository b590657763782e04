"""Channel defaults and status permissions in SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels import ChannelDefault
from bot.crypto import TokenCipher
from bot.digest.model import Channel
from bot.domain import UserKey
from bot.store.channels import SqlChannelStore
from bot.store.engine import create_engine_for
from bot.store.status_links import SqlStatusLinks

HERE = Channel("slack", "T1", "C1")
ADA = UserKey("slack", "T1", "U1")


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    made = create_engine_for(migrated_url)
    yield made
    await made.dispose()


async def test_a_channel_default_is_set_replaced_and_cleared(engine: AsyncEngine) -> None:
    store = SqlChannelStore(engine)
    assert await store.get_default(HERE) is None
    await store.set_default(HERE, ChannelDefault("Website", ("meeting",), "U1"))
    await store.set_default(HERE, ChannelDefault("Research", (), "U2"))
    assert await store.get_default(HERE) == ChannelDefault("Research", (), "U2")
    assert await store.get_default(Channel("slack", "T2", "C1")) is None
    assert await store.clear_default(HERE) and not await store.clear_default(HERE)


async def test_status_tokens_are_encrypted_and_rotate_with_the_keys(
    engine: AsyncEngine
) -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    links = SqlStatusLinks(engine, TokenCipher.from_setting(old))
    await links.save(ADA, SecretStr("xoxp-secret-user-token"))
    await links.save(ADA, SecretStr("xoxp-newer-user-token"))
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT token_ciphertext FROM status_links"))).all()
    assert len(rows) == 1 and b"xoxp" not in rows[0][0]
    assert "xoxp" not in repr(links)
    rotated = await SqlStatusLinks(engine, TokenCipher.from_setting(f"{new},{old}")).rotate_keys()
    assert rotated.rotated == 1 and rotated.unreadable == ()
    only_new = SqlStatusLinks(engine, TokenCipher.from_setting(new))
    got = await only_new.get(ADA)
    assert got is not None and got.get_secret_value() == "xoxp-newer-user-token"
    assert await only_new.delete(ADA) and await only_new.get(ADA) is None
