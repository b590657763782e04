"""Persistence: SQLAlchemy models, engines and the AccountStore implementation."""

from bot.store.accounts import SqlAccountStore
from bot.store.engine import async_url, create_engine_for, sync_url

__all__ = ["SqlAccountStore", "async_url", "create_engine_for", "sync_url"]
