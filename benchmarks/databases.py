"""Throwaway databases: a migrated SQLite file, or a PostgreSQL database created and dropped."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from bot import migrate


def sqlite_database(folder: Path, name: str) -> str:
    """A fresh, migrated SQLite file in ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / f'{name}.db'}"
    migrate.upgrade(url)
    return url


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """A new PostgreSQL database next to ``base_url``'s, migrated; dropped afterwards."""
    name = f"togglbot_bench_{uuid.uuid4().hex[:12]}"
    admin = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
        migrate.upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def postgres_host(base_url: str) -> str | None:
    return make_url(base_url).host
