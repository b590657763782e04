"""Database fixtures: every DB test runs on a fresh SQLite file and a fresh PostgreSQL database.

PostgreSQL comes from TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test):
each test gets its own database, created and dropped around it. Without TEST_DATABASE_URL
the postgres cases are skipped locally, but fail under CI (env CI set), so CI can never
silently stop testing PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from bot import migrate
from bot.crypto import TokenCipher
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def _admin_conninfo(url: str) -> str:
    """A libpq URL (no SQLAlchemy driver suffix) for psycopg.connect."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail(
                "TEST_DATABASE_URL is not set but CI is: PostgreSQL tests must run in CI. "
                "Set TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test."
            )
        pytest.skip("TEST_DATABASE_URL not set: skipping PostgreSQL")
    name = f"togglbot_test_{uuid.uuid4().hex[:16]}"
    admin = _admin_conninfo(base)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'togglbot.db'}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database, once per backend: a SQLite file, then a PostgreSQL database."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def migrated_url(database_url: str) -> str:
    migrate.upgrade(database_url)
    return database_url


@pytest.fixture
def cipher() -> TokenCipher:
    return TokenCipher.from_setting(TokenCipher.generate_key())


@pytest.fixture
async def store(migrated_url: str, cipher: TokenCipher) -> AsyncIterator[SqlAccountStore]:
    engine = create_engine_for(migrated_url)
    try:
        yield SqlAccountStore(engine, cipher)
    finally:
        await engine.dispose()


@pytest.fixture
async def sqlite_store(sqlite_url: str, cipher: TokenCipher) -> AsyncIterator[SqlAccountStore]:
    """SQLite only, for fast core tests that don't need to run on both backends."""
    migrate.upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    try:
        yield SqlAccountStore(engine, cipher)
    finally:
        await engine.dispose()
