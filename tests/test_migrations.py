"""Alembic migrations: the only way the schema is made, and it matches bot.store.schema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, pool, text

from bot import migrate
from bot.store.engine import create_engine_for, sync_url
from bot.store.schema import metadata

ROOT = Path(__file__).resolve().parent.parent
TABLES = {"users", "workspace_cache", "installations", "digests", "digest_members", "digest_runs",
          "channel_defaults", "status_links", "reminders", "reminder_sends",
          "seen_requests"}


def tables(url: str) -> set[str]:
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_one_head_only() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_upgrade_head_on_empty_database(database_url: str) -> None:
    assert migrate.current(database_url) is None
    migrate.upgrade(database_url)
    assert migrate.current(database_url) == migrate.head()
    assert tables(database_url) == TABLES
    migrate.upgrade(database_url)  # idempotent
    assert migrate.current(database_url) == migrate.head()


def test_downgrade_base_then_upgrade_again(migrated_url: str) -> None:
    migrate.downgrade(migrated_url, "base")
    assert migrate.current(migrated_url) is None
    assert tables(migrated_url) == set()
    migrate.upgrade(migrated_url)
    assert tables(migrated_url) == TABLES


def test_migrated_schema_matches_models(migrated_url: str) -> None:
    engine = create_engine(sync_url(migrated_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diffs == []


def test_constraint_names_are_stable(migrated_url: str) -> None:
    engine = create_engine(sync_url(migrated_url), poolclass=pool.NullPool)
    try:
        insp = inspect(engine)
        uniques = {u["name"] for u in insp.get_unique_constraints("users")}
        fks = insp.get_foreign_keys("workspace_cache")
        pk = insp.get_pk_constraint("workspace_cache")
    finally:
        engine.dispose()
    assert "uq_users_platform_team_id_user_id" in uniques
    assert [fk["name"] for fk in fks] == ["fk_workspace_cache_account_id_users"]
    assert fks[0]["options"].get("ondelete") == "CASCADE"
    assert pk["constrained_columns"] == ["account_id", "workspace_id"]


async def test_cascade_is_enforced_by_the_database(migrated_url: str) -> None:
    engine = create_engine_for(migrated_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (platform, team_id, user_id, token_ciphertext, token_valid,"
                    " toggl_user_id, workspace_id, timezone, name, created_at, updated_at)"
                    " VALUES ('slack', 'T', 'U', :blob, true, 1, 2, 'UTC', '', :now, :now)"
                ),
                {"blob": b"x", "now": "2025-01-01 00:00:00+00:00"},
            )
            await conn.execute(
                text(
                    "INSERT INTO workspace_cache (account_id, workspace_id, projects, clients,"
                    " tags, fetched_at) SELECT id, 2, '[]', '[]', '[]', :now FROM users"
                ),
                {"now": "2025-01-01 00:00:00+00:00"},
            )
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM users"))
            assert await conn.scalar(text("SELECT count(*) FROM workspace_cache")) == 0
    finally:
        await engine.dispose()


async def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("PRAGMA journal_mode")) == "wal"
            assert await conn.scalar(text("PRAGMA busy_timeout")) == 5000
            assert await conn.scalar(text("PRAGMA foreign_keys")) == 1
    finally:
        await engine.dispose()


def test_alembic_command_line_uses_database_url(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    alembic = [sys.executable, "-m", "alembic", "-c", "migrations/alembic.ini"]
    done = subprocess.run(
        [*alembic, "upgrade", "head"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert migrate.current(database_url) == migrate.head()
    assert tables(database_url) == TABLES


@pytest.mark.parametrize("url", ["sqlite:///x.db", "postgres://u:p%40ss@h/db"])
def test_offline_sql_renders(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from alembic import command

    command.upgrade(migrate.alembic_config(url), "head", sql=True)
    assert "CREATE TABLE workspace_cache" in capsys.readouterr().out
