"""Alembic environment: the URL comes from alembic's own option or DATABASE_URL.

Migrations run on sync drivers (pysqlite, psycopg 3); bot.store.engine.sync_url maps any
accepted DATABASE_URL spelling onto them.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, event, pool

from bot.config import Settings
from bot.store.engine import SQLITE_BUSY_TIMEOUT_MS, is_sqlite, sync_url
from bot.store.schema import metadata

config = context.config

# bot.migrate sets this False: a running app keeps its own logging configuration.
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url") or Settings().DATABASE_URL
    return sync_url(url)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not pysqlite, decides when transactions begin, so DDL is transactional
    # and a failed migration leaves nothing half-done (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # persistent: set once, kept by the file
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # foreign_keys stays OFF here: batch migrations drop and recreate tables, and with
    # foreign keys on, dropping `users` would cascade-delete every workspace_cache row.
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=is_sqlite(url),
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection, sqlite: bool) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=sqlite,
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given: Connection | None = config.attributes.get("connection")
    if given is not None:  # a caller (e.g. a test) lends its own connection
        _run(given, given.dialect.name == "sqlite")
        return
    url = database_url()
    sqlite = is_sqlite(url)
    engine = create_engine(url, poolclass=pool.NullPool)
    if sqlite:
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        with engine.connect() as connection:
            _run(connection, sqlite)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
