"""Which entry `last`, `4821` or a full Toggl id means, and Toggl's refusals in plain words.

Short ids are the last digits of the Toggl id (at least four, more where two listed entries
share them): stable, and typed as shown. They resolve against the person's recent entries
(one GET /me/time_entries), `last` against what the bot remembers, and long ids directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from bot.context import Context
from bot.domain import Account, TimeEntry
from bot.errors import LookupFailed, TogglbotError, TogglRejected

SHORT_DIGITS = 4
FULL_ID_DIGITS = 7  # Toggl's ids are ten digits; a ref this long is taken as a whole id
RECENT = timedelta(days=8)  # about what GET /me/time_entries answers without dates


def short_ids(ids: Iterable[int]) -> dict[int, str]:
    """The shortest suffix (at least four digits) that tells each id apart from the others."""
    texts = {i: str(i) for i in ids}
    result: dict[int, str] = {}
    for entry_id, text in texts.items():
        size = SHORT_DIGITS
        while size < len(text) and any(
            o != entry_id and other.endswith(text[-size:]) for o, other in texts.items()
        ):
            size += 1
        result[entry_id] = text[-size:]
    return result


def shown_id(entry: TimeEntry, short: str, now: datetime) -> str:
    """Old entries show their full id: short ids only resolve among recent ones."""
    return str(entry.id) if now - entry.start > RECENT else short


async def resolve(ctx: Context, ref: str) -> TimeEntry:
    """The entry ``ref`` names: 0 calls for a remembered one, else 1."""
    account = ctx.require_account()
    if ref == "last":
        if account.last is not None:
            return account.last
        recent = await ctx.api().recent_entries()
        if not recent:
            raise LookupFailed("You have no time entries yet.")
        return max(recent, key=lambda e: e.start)
    remembered = [e for e in (account.running, account.last) if e is not None]
    exact = next((e for e in remembered if str(e.id) == ref), None)
    if exact is not None:
        return exact
    if len(ref) >= FULL_ID_DIGITS:
        async with explained(ref):
            return await ctx.api().entry(int(ref))
    return pick(ref, await ctx.api().recent_entries())


def pick(ref: str, entries: Sequence[TimeEntry]) -> TimeEntry:
    """An exact id, else the one recent entry whose id ends in ``ref``."""
    exact = [e for e in entries if str(e.id) == ref]
    found = exact or [e for e in entries if str(e.id).endswith(ref)]
    if len(found) == 1:
        return found[0]
    if found:
        ids = ", ".join(f"`{e.id}`" for e in found[:5])
        raise LookupFailed(f"`{ref}` matches more than one entry ({ids}). Type more digits.")
    raise LookupFailed(
        f"No recent entry has the id `{ref}`. Older entries need their full id, "
        "shown by `entries <date>`."
    )


@asynccontextmanager
async def explained(ref: str) -> AsyncIterator[None]:
    """Toggl's 404/403/409 about one entry, as a sentence about that entry."""
    try:
        yield
    except TogglRejected as exc:
        if exc.status == 404:
            raise LookupFailed(f"There's no time entry `{ref}` (it may have been deleted).") \
                from None
        if exc.status == 403:
            raise TogglbotError(
                f"The entry `{ref}` is in a workspace you can't change."
            ) from None
        if exc.status == 409:
            raise TogglbotError(f"The entry `{ref}` was already stopped.") from None
        raise


def note(account: Account, entry: TimeEntry) -> None:
    """Keep the bot's memory true after a write, without making an old entry the 'last'."""
    known = {e.id for e in (account.running, account.last) if e is not None}
    if entry.id in known or account.last is None or entry.start >= account.last.start:
        account.remember(entry)


def forget(account: Account, entry_id: int) -> None:
    if account.running is not None and account.running.id == entry_id:
        account.running = None
    if account.last is not None and account.last.id == entry_id:
        account.last = None
