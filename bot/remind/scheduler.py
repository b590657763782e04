"""The reminder loop, beside the digest scheduler in the `worker` process.

Each tick reads only the people whose indexed ``next_at`` has come (leasing them in one
statement, so any number of workers share the work), plans each from what the bot already
knows (``bot.remind.plan``), and spends one Toggl request only when a reminder could be
due, never a person's last requests and never more than ``plan.MAX_CHECKS`` a day. What
the request shows is remembered for the next plan and for the person's own commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.dialects.syntax import dialect_of, localize
from bot.digest.ports import DeliveryRejected
from bot.digest.scheduler import worker_name
from bot.domain import Account, ListedEntry, Quota, Scope, TimeEntry
from bot.errors import QuotaExhausted, TogglError, TokenRejected, TokenUnreadable
from bot.ports import AccountStore, Toggl, TogglConnector
from bot.remind import plan, render
from bot.remind.model import Kind, Person, Release
from bot.remind.ports import ReminderLedger, ReminderSender
from bot.replies import Reply
from bot.timefmt import zone

log = logging.getLogger(__name__)

QUOTA_RESERVE = 5  # never spend a person's last 5 requests of either quota on reminders
Outcome = Literal["planned", "checked", "sent", "held", "lost", "failed", "refused",
                  "uncertain", "quota", "budget", "relogin", "unavailable", "error"]


@dataclass(frozen=True, slots=True)
class Timing:
    lease: timedelta = timedelta(minutes=2)  # a silent worker loses its person after this
    retry: timedelta = timedelta(minutes=5)  # a refused or failed send is tried again after
    max_attempts: int = 3
    batch: int = 500  # people leased per statement


def low_on_quota(quotas: tuple[Quota, Quota], now: datetime) -> datetime | None:
    """When the person's low quota resets, if either is at its last QUOTA_RESERVE."""
    low = [q for q in quotas if q.remaining is not None and q.remaining <= QUOTA_RESERVE
           and q.resets_at is not None and q.resets_at > now]
    return max(q.resets_at for q in low if q.resets_at) if low else None


class ReminderScheduler:
    def __init__(
        self,
        ledger: ReminderLedger,
        accounts: AccountStore,
        toggl: TogglConnector,
        sender: ReminderSender,
        clock: Clock,
        *,
        worker: str | None = None,
        concurrency: int = 50,
        timing: Timing = Timing(),
        platforms: frozenset[str] | None = None,
    ) -> None:
        self.ledger = ledger
        self.accounts = accounts
        self.toggl = toggl
        self.sender = sender
        self.clock = clock
        self.worker = worker or worker_name()
        self.timing = timing
        self.platforms = platforms
        self._slots = asyncio.Semaphore(concurrency)

    async def run_once(self, now: datetime | None = None) -> Counter[Outcome]:
        """Look at everyone due now (in batches); returns what happened."""
        now = now or self.clock()
        outcomes: Counter[Outcome] = Counter()
        while True:
            people = await self.ledger.lease_due(
                now, self.worker, now + self.timing.lease, self.timing.batch, self.platforms
            )
            if not people:
                return outcomes
            first = min(plan.today(now, zone(p.timezone)) for p in people)
            settled = await self.ledger.settled_since([p.account_id for p in people], first)
            results = await asyncio.gather(*(self._guarded(p, settled, now) for p in people))
            outcomes.update(outcome for outcome, _ in results)
            # One statement hands the whole batch back (10,000 planned people: one write).
            await self.ledger.release([r for _, r in results], self.worker)
            if len(people) < self.timing.batch:
                return outcomes

    async def _guarded(
        self, person: Person, settled: dict[tuple[int, date], frozenset[Kind]], now: datetime
    ) -> tuple[Outcome, Release]:
        async with self._slots:
            try:
                return await self._one(person, settled, now)
            except Exception:
                # One person's failure never stops the others; they are looked at again.
                log.exception("reminders for %s failed", person.key)
                return "error", Release(person, now + self.timing.retry, person.checks_day,
                                        person.checks, person.checked_at)

    async def _one(
        self, person: Person, settled: dict[tuple[int, date], frozenset[Kind]], now: datetime
    ) -> tuple[Outcome, Release]:
        tz = zone(person.timezone)
        day = plan.today(now, tz)
        done = settled.get((person.account_id, day), frozenset())
        seen = plan.look(person, done, now, tz)
        outcome: Outcome = "planned"
        next_at, checks, checked_at = seen.next_at, person.checks_on(day), person.checked_at
        if seen.due:
            resets = low_on_quota((person.quota, person.me_quota), now)
            if not plan.checks_left(person, seen.due, day):
                # Today's requests are spent, but for the recap's: only it may come now.
                outcome = "budget"
                next_at = plan.look(person, done | {"running", "idle"}, now, tz).next_at
            elif resets is not None:
                # Low on quota: skipped, not nagged; looked at again once it has reset.
                outcome, next_at = "quota", max(resets, now + timedelta(minutes=1))
            else:
                outcome, next_at = await self._check(person, seen.due, done, day, now, tz)
                checks, checked_at = checks + 1, now
        return outcome, Release(person, next_at, day, checks, checked_at)

    async def _check(
        self, person: Person, due: tuple[Kind, ...], done: frozenset[Kind], day: date,
        now: datetime, tz: ZoneInfo,
    ) -> tuple[Outcome, datetime]:
        """One Toggl request (entries since yesterday), then whatever it confirms."""
        try:
            account = await self.accounts.get_account(person.key)
        except TokenUnreadable:
            return "relogin", now + plan.FAR
        if account is None or not account.token_valid:
            return "unavailable", now + plan.FAR
        session = self.toggl.session(account.token, account.quotas())
        start = datetime.combine(day - timedelta(days=1), time(0), tzinfo=tz)
        scope = Scope(account.toggl_user_id, account.workspace_id, account.timezone)
        try:
            listed = await session.entries(start, now + timedelta(minutes=1), scope)
        except TokenRejected:
            await self._remember(account, session, token_valid=False)
            await self._send(person, "relogin", day, render.relogin())
            return "relogin", now + plan.FAR
        except QuotaExhausted as exc:
            await self._remember(account, session)
            return "quota", exc.resets_at or now + timedelta(minutes=15)
        except TogglError as exc:
            log.warning("reminders: Toggl failed for %s: %s", person.key, type(exc).__name__)
            await self._remember(account, session)
            return "unavailable", now + self.timing.retry
        running, last = _state(listed)
        await self._remember(account, session, running=running, last=last, learned=True)
        known = replace(person, running=running, last=last, checked_at=now)
        sent: set[Kind] = set()
        outcome: Outcome = "checked"
        # The request shows everything: a reminder due by its answer goes out now too.
        others: tuple[Kind, ...] = ("running", "idle")
        confirmable = [*due, *(k for k in others if k not in due and k not in done)]
        for kind in confirmable:
            reply = self._confirm(kind, known, listed, day, now, tz)
            if reply is None:
                continue
            result = await self._send(person, kind, day, reply)
            if result in ("sent", "held", "uncertain", "refused"):
                sent.add(kind)  # settled for today, whoever sent it
            outcome = result if outcome in ("checked", "sent") else outcome
        after = plan.look(replace(known, checks=person.checks_on(day) + 1, checks_day=day),
                          done | sent, now, tz)
        # Anything still "due" was not confirmed (or its send failed): look again later,
        # never in the same minute, so a check is never spent twice in a row.
        next_at = after.next_at if not after.due else max(
            min(after.next_at, now + self.timing.retry), now + self.timing.retry)
        return outcome, next_at

    def _confirm(
        self, kind: Kind, person: Person, listed: list[ListedEntry], day: date, now: datetime,
        tz: ZoneInfo,
    ) -> Reply | None:
        """The message for ``kind`` if what Toggl showed makes it due, else None."""
        settings = person.settings
        span = plan.window(settings, day, tz)
        inside = span is not None and span[0] <= now < span[1]
        if kind == "recap":
            today_only = [row for row in listed
                          if row.entry.start.astimezone(tz).date() == day or row.entry.running]
            return render.recap(today_only, settings, day, now, tz)
        if kind == "running" and inside and person.running is not None \
                and settings.running is not None \
                and now >= person.running.start + settings.running:
            return render.running(person.running, settings, now, tz)
        if kind == "idle" and inside and person.running is None and settings.idle is not None:
            assert span is not None
            since = max(person.last.stop if person.last and person.last.stop else span[0],
                        span[0])
            if now >= since + settings.idle:
                return render.idle(person.last, since, now, tz)
        return None

    async def _send(self, person: Person, kind: Kind, day: date, reply: Reply) -> Outcome:
        now, t = self.clock(), self.timing
        claim = await self.ledger.claim_send(person.account_id, kind, day, self.worker, now,
                                             now + t.lease, t.max_attempts)
        if claim is None:
            return "held"
        if not await self.ledger.start_sending(claim, self.clock() + t.lease):
            return "lost"
        try:
            await self.sender.remind(person.key, localize(reply, dialect_of(person.key.platform)))
        except DeliveryRejected as exc:
            log.warning("reminder %s for %s refused: %s", kind, person.key, exc)
            if exc.permanent:
                await self.ledger.refused(claim, str(exc))
                return "refused"
            await self.ledger.failed(claim, self.clock() + t.retry, str(exc))
            return "failed"
        except Exception as exc:
            # It may have arrived: never repeat it blind.
            log.error("reminder %s for %s: outcome unknown (%s); not retried", kind,
                      person.key, type(exc).__name__)
            await self.ledger.uncertain(claim, repr(exc))
            return "uncertain"
        await self.ledger.sent(claim, self.clock())
        return "sent"

    async def _remember(
        self, account: Account, session: Toggl, *, token_valid: bool | None = None,
        running: TimeEntry | None = None, last: TimeEntry | None = None,
        learned: bool = False,
    ) -> None:
        """Write the quota Toggl reported, a rejected token and the timer we saw into the
        account, re-read just before saving so a command meanwhile is not overwritten."""
        fresh = await self.accounts.get_account(account.key)
        if fresh is None:
            return
        fresh.note_quotas(session.quotas)
        if token_valid is not None:
            fresh.token_valid = token_valid
        if learned and fresh.running == account.running and fresh.last == account.last:
            fresh.running, fresh.last = running, last or fresh.last
        await self.accounts.save_account(fresh)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Once a minute until ``stop`` is set; a failing round is logged, not fatal."""
        log.info("reminder worker %s started", self.worker)
        while not stop.is_set():
            try:
                outcomes = await self.run_once()
                if outcomes:
                    log.info("reminder round: %s", dict(outcomes))
            except Exception:
                log.exception("reminder round failed; trying again next minute")
            now = self.clock()
            wait = 60 - now.second - now.microsecond / 1e6
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=max(wait, 1.0))


def _state(listed: list[ListedEntry]) -> tuple[TimeEntry | None, TimeEntry | None]:
    """The running entry, and the latest entry (running or last finished)."""
    entries = [row.entry for row in listed]
    running = next((e for e in entries if e.running), None)
    finished = [e for e in entries if e.stop is not None]
    last = running or max(finished, key=lambda e: e.stop or e.start, default=None)
    return running, last

