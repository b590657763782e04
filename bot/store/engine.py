"""DATABASE_URL normalisation and engine construction. Nothing here connects at import time.

The contract accepts ``sqlite:///path`` and PostgreSQL URLs in the spellings hosting
providers hand out (``postgres://``, ``postgresql://``, ``postgresql+psycopg://``); the app
runs async drivers, alembic runs sync ones.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 5000
PG_CONNECT_TIMEOUT_S = 10
_POSTGRES_NAMES = {"postgres", "postgresql"}


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        # The URL may hold a password: say what is wrong without echoing it.
        raise ConfigError(
            "DATABASE_URL is not a valid database URL; expected e.g. sqlite:///togglbot.db "
            "or postgresql+psycopg://user:password@host:5432/dbname."
        ) from None


def _backend(parsed: URL) -> str:
    name = parsed.get_backend_name()
    if name == "sqlite":
        return "sqlite"
    if name in _POSTGRES_NAMES:
        return "postgresql"
    raise ConfigError(
        f"DATABASE_URL uses an unsupported database {name!r}; use sqlite or postgresql."
    )


def _with_driver(url: str, *, sqlite_driver: str) -> str:
    parsed = _parse(url)
    backend = _backend(parsed)
    driver = sqlite_driver if backend == "sqlite" else "postgresql+psycopg"
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def async_url(url: str) -> str:
    """The URL for the app's async engine (aiosqlite or psycopg 3 async)."""
    return _with_driver(url, sqlite_driver="sqlite+aiosqlite")


def sync_url(url: str) -> str:
    """The URL for sync tools such as alembic (pysqlite or psycopg 3)."""
    return _with_driver(url, sqlite_driver="sqlite")


def is_sqlite(url: str) -> bool:
    return _backend(_parse(url)) == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL and in-memory SQLite."""
    parsed = _parse(url)
    if _backend(parsed) != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def private_sqlite_file(url: str) -> None:
    """Create the SQLite file readable by its owner only (0600) before SQLite does, and
    tighten an existing one. Names, descriptions and private project names are not
    encrypted. SQLite gives its -wal and -shm files the database file's mode."""
    path = sqlite_file(url)
    if path is None:
        return
    # A missing folder is SQLite's to report ("unable to open database file").
    with suppress(FileExistsError, FileNotFoundError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    for each in (path, *(path.with_name(path.name + tail) for tail in ("-wal", "-shm"))):
        with suppress(FileNotFoundError, PermissionError):  # not ours to change: leave it
            each.chmod(0o600)


def sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    """Per-connection SQLite settings; a connect-event listener.

    WAL lets readers run beside the one writer; busy_timeout makes a writer wait for the
    lock instead of failing at once; foreign_keys is off by default in SQLite and the
    workspace_cache cascade depends on it.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # With WAL, NORMAL stays consistent after a crash and saves an fsync per commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_engine_for(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for DATABASE_URL with the per-backend settings applied."""
    target = async_url(url)
    if is_sqlite(url):
        private_sqlite_file(url)
        engine = create_async_engine(target, **kwargs)
        # aiosqlite wraps a sync driver: connect events live on the sync engine.
        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
        return engine
    connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S, **kwargs.pop("connect_args", {})}
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(target, connect_args=connect_args, **kwargs)


@asynccontextmanager
async def opened_engine(url: str, **kwargs: Any) -> AsyncIterator[AsyncEngine]:
    """An engine for the lifetime of a block; its pool is disposed on exit."""
    engine = create_engine_for(url, **kwargs)
    try:
        yield engine
    finally:
        await engine.dispose()


def create_sync_engine_for(url: str, **kwargs: Any) -> Engine:
    """A blocking engine with the same per-backend settings, for work done on a thread of
    its own (a whole transaction per thread hop, instead of one hop per statement)."""
    target = sync_url(url)
    if is_sqlite(url):
        engine = create_engine(target, **kwargs)
        event.listen(engine, "connect", sqlite_pragmas)
        return engine
    connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S, **kwargs.pop("connect_args", {})}
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(target, connect_args=connect_args, **kwargs)
