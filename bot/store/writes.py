"""Writes more than one store needs."""

from __future__ import annotations

from sqlalchemy import Insert, Update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.accounts import storage_errors


async def update_or_insert(engine: AsyncEngine, change: Update, add: Insert) -> None:
    """``change`` the row, or ``add`` it when there is none. Two first writes at the same
    moment: the one that loses the insert applies its values as an update (the later wins)."""
    try:
        async with storage_errors(), engine.begin() as conn:
            if (await conn.execute(change)).rowcount == 0:
                await conn.execute(add)
    except IntegrityError:
        async with storage_errors(), engine.begin() as conn:
            await conn.execute(change)
