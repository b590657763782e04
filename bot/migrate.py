"""Run alembic migrations from Python (`togglbot db upgrade`) — the only way the schema changes.

The alembic environment lives in ``migrations/`` beside the ``bot`` package (the project is
installed editable), so ``alembic -c migrations/alembic.ini upgrade head`` does the same.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.config import Settings
from bot.errors import ConfigError, StorageUnavailable
from bot.store.engine import private_sqlite_file, sqlite_file, sync_url

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "migrations" / "alembic.ini"


def alembic_config(url: str | None = None) -> Config:
    """Alembic's Config for our migrations, aimed at ``url`` (default: DATABASE_URL)."""
    if not ALEMBIC_INI.is_file():
        raise ConfigError(
            f"Cannot find the migrations ({ALEMBIC_INI}); run togglbot from a checkout "
            "installed with `pip install -e .`."
        )
    cfg = Config(str(ALEMBIC_INI))
    # The app owns logging; alembic.ini's logging sections are for the alembic CLI.
    cfg.attributes["configure_logging"] = False
    target = sync_url(url if url is not None else Settings().DATABASE_URL)
    # ConfigParser interpolates '%': URL-encoded passwords must be escaped.
    cfg.set_main_option("sqlalchemy.url", target.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database up to ``revision`` (creating it, for SQLite, owner-only)."""
    cfg = alembic_config(url)
    private_sqlite_file(url if url is not None else Settings().DATABASE_URL)
    command.upgrade(cfg, revision)


def downgrade(url: str | None = None, revision: str = "-1") -> None:
    """Step the schema back to ``revision`` ("base" drops everything)."""
    command.downgrade(alembic_config(url), revision)


def current(url: str | None = None) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    url = url if url is not None else Settings().DATABASE_URL
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return None  # asking must not create an empty database file
    target = sync_url(url)
    engine = create_engine(target, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except (OperationalError, InterfaceError) as exc:
        raise StorageUnavailable() from exc
    finally:
        engine.dispose()


def head() -> str | None:
    """The newest revision the code knows about."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
