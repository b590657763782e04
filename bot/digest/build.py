"""One digest: one Toggl call per opted-in member, then a platform-neutral Reply.

Members never stop each other: an invalid token, a spent quota or a Toggl outage becomes a
line in that member's section, and the rest of the team is still reported.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import summary
from bot.clock import Clock
from bot.commands import Period
from bot.dialects.syntax import dialect_of, localize
from bot.digest import chart, render
from bot.digest.model import Digest, Member, MemberDay
from bot.domain import Account, Catalog, ListedEntry, Quota, Scope, UserKey
from bot.errors import QuotaExhausted, TogglError, TokenRejected, TokenUnreadable
from bot.pacing import Pacer
from bot.ports import AccountStore, Toggl, TogglConnector
from bot.replies import Reply
from bot.timefmt import period_bounds

log = logging.getLogger(__name__)

QUOTA_RESERVE = 3  # never spend a member's last requests on a digest (issue #11)
TOGGL_INTERVAL = 1.0  # seconds between calls for one token: Toggl's leaky bucket

ChartRenderer = Callable[[chart.Bars], Awaitable[bytes]]




def keeps_reserve(quota: Quota, now: datetime) -> bool:
    """True when a call now would dig into the member's last few requests."""
    return (
        quota.remaining is not None
        and quota.remaining <= QUOTA_RESERVE
        and quota.resets_at is not None
        and quota.resets_at > now
    )


class DigestBuilder:
    """Builds digests; one instance per worker (it holds the per-token pacing)."""

    def __init__(
        self,
        accounts: AccountStore,
        toggl: TogglConnector,
        clock: Clock,
        *,
        pacer: Pacer | None = None,
        concurrency: int = 100,
        charts: ChartRenderer = chart.render_off_loop,
    ) -> None:
        self.accounts = accounts
        self.toggl = toggl
        self.clock = clock
        self.pacer = pacer or Pacer(TOGGL_INTERVAL)
        self._calls = asyncio.Semaphore(concurrency)  # Toggl calls in flight, all digests
        self._charts = charts

    async def build(self, digest: Digest, local_date: date) -> Reply:
        tz = ZoneInfo(digest.schedule.timezone)
        start, end, _ = period_bounds(Period("range", local_date, local_date), self.clock(), tz)
        days = await asyncio.gather(*(self._day(m, start, end) for m in digest.members))
        reply = localize(render.digest_reply(local_date, days, tz),
                         dialect_of(digest.channel.platform))
        bars = render.chart_bars(days)
        if not bars:
            return reply
        try:
            image = await self._charts(bars)
        except Exception as exc:
            # The chart is a picture of the text: never a reason to hold the text back.
            log.warning("digest chart failed (%s); posting the text alone", type(exc).__name__)
            return reply
        return replace(reply, image=image)

    async def _day(self, member: Member, start: datetime, end: datetime) -> MemberDay:
        try:
            return await self._fetch(member, start, end)
        except Exception:
            # Not even the database should take the other members down with this one.
            log.exception("digest: member %s failed", member.key)
            return MemberDay(member, "unavailable")

    async def _fetch(self, member: Member, start: datetime, end: datetime) -> MemberDay:
        try:
            account = await self.accounts.get_account(member.key)
        except TokenUnreadable:  # stored under a key the bot no longer has
            return MemberDay(member, "relogin")
        if account is None:  # logged out since the digest was loaded
            return MemberDay(member, "unavailable")
        member = replace(member, name=account.name or member.name)
        if not account.token_valid:
            return MemberDay(member, "relogin")
        # The digest reads /me/time_entries: it spends the person's "me" quota.
        if keeps_reserve(account.me_quota, self.clock()):
            return MemberDay(member, "quota", resets_at=account.me_quota.resets_at)
        session = self.toggl.session(account.token, account.quotas())
        try:
            scope = Scope(account.toggl_user_id, account.workspace_id, account.timezone)
            listed = await self._entries(session, member.key, start, end, scope)
        except TokenRejected:
            await self._remember(member.key, session, token_valid=False)
            return MemberDay(member, "relogin")
        except QuotaExhausted as exc:
            await self._remember(member.key, session)
            return MemberDay(member, "quota", resets_at=exc.resets_at)
        except TogglError as exc:
            log.warning("digest: Toggl failed for %s: %s", member.key, type(exc).__name__)
            await self._remember(member.key, session)
            return MemberDay(member, "unavailable")
        await self._remember(member.key, session)
        catalog = await self._catalog(account, listed)
        totals = summary.totals(listed, start, end, self.clock(), catalog)
        return MemberDay(member, "tracked" if totals.entries else "empty", totals)

    async def _entries(
        self, session: Toggl, key: UserKey, start: datetime, end: datetime, scope: Scope
    ) -> list[ListedEntry]:
        async with self._calls:
            await self.pacer.wait(key)
            return await session.entries(start, end, scope)

    async def _catalog(self, account: Account, listed: list[ListedEntry]) -> Catalog | None:
        # Toggl names projects itself; the cache is only read when a name is missing.
        if all(e.project_name or e.entry.project_id is None for e in listed):
            return None
        return await self.accounts.get_catalog(account.key, account.workspace_id)

    async def _remember(
        self, key: UserKey, session: Toggl, *, token_valid: bool | None = None
    ) -> None:
        """Write the quota Toggl reported (and a rejected token) into the member's ledger.

        The account is re-read just before saving, so a command the member ran meanwhile
        (e.g. starting a timer) is not overwritten with what we loaded before the call.
        """
        if not session.quotas and token_valid is None:
            return
        fresh = await self.accounts.get_account(key)
        if fresh is None:
            return
        fresh.note_quotas(session.quotas)
        if token_valid is not None:
            fresh.token_valid = token_valid
        await self.accounts.save_account(fresh)
