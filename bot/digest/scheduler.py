"""The worker loop: find today's due digests, claim each in the database, build, send, mark.

Any number of schedulers may run against one database (or one in-process on SQLite): the
RunLedger decides who posts what, so nothing here is a lock. Time comes from an injected
clock; tests call ``run_once(now)`` instead of waiting for the minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from bot.clock import Clock
from bot.dialects.syntax import dialect_of, localize
from bot.digest.model import Claim, Digest, RunState, RunStatus
from bot.digest.ports import DeliveryRejected, DigestSender, DigestStore, Refusal, RunLedger
from bot.digest.render import gave_up_notice, refusal_notice
from bot.digest.schedule import due_today
from bot.replies import Reply

log = logging.getLogger(__name__)

Outcome = Literal["posted", "held", "failed", "refused", "uncertain", "lost", "error"]
TERMINAL = (RunStatus.POSTED, RunStatus.UNCERTAIN, RunStatus.REFUSED)


class Builds(Protocol):
    async def build(self, digest: Digest, local_date: date) -> Reply: ...


@dataclass(frozen=True, slots=True)
class Timing:
    lease: timedelta = timedelta(minutes=2)  # a silent worker loses its claim after this
    heartbeat: float = 30.0  # seconds between lease renewals while building
    retry_after: timedelta = timedelta(minutes=5)  # a refused post is tried again after this
    max_attempts: int = 5


def worker_name() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Scheduler:
    def __init__(
        self,
        digests: DigestStore,
        runs: RunLedger,
        builder: Builds,
        sender: DigestSender,
        clock: Clock,
        *,
        worker: str | None = None,
        concurrency: int = 20,
        timing: Timing = Timing(),
        platforms: frozenset[str] | None = None,
    ) -> None:
        self.digests = digests
        self.runs = runs
        self.builder = builder
        self.sender = sender
        self.clock = clock
        self.worker = worker or worker_name()
        self.timing = timing
        # A worker claims only digests it can post (None: all), so a Slack-only and a
        # Discord-only worker can share one database.
        self.platforms = platforms
        self._slots = asyncio.Semaphore(concurrency)  # digests in progress in this worker

    async def run_once(self, now: datetime | None = None) -> Counter[Outcome]:
        """Post every digest due today and not yet posted; returns what happened."""
        now = now or self.clock()
        due = [
            (digest, found[0])
            for digest in await self.digests.enabled()
            if self.platforms is None or digest.channel.platform in self.platforms
            if (found := due_today(digest.schedule, now)) is not None
        ]
        if not due:
            return Counter()
        states = await self.runs.runs_since(min(day for _, day in due))
        todo = [(d, day) for d, day in due if self._worth_claiming(states.get((d.id, day)), now)]
        # Each worker walks the list in its own order, so racing workers mostly claim
        # different digests instead of colliding on every one.
        random.shuffle(todo)
        outcomes = await asyncio.gather(*(self._guarded(d, day) for d, day in todo))
        return Counter(outcomes)

    def _worth_claiming(self, state: RunState | None, now: datetime) -> bool:
        """A cheap read first, so 1,000 posted digests cost no writes each minute."""
        if state is None:
            return True
        if state.status in TERMINAL:
            return False
        if state.lease_expires_at >= now:
            return False
        # An expired `sending` is claimed only to be marked uncertain by the ledger.
        return state.status is RunStatus.SENDING or state.attempts < self.timing.max_attempts

    async def _guarded(self, digest: Digest, day: date) -> Outcome:
        async with self._slots:
            try:
                return await self._process(digest, day)
            except Exception:
                # One channel's failure never stops the others.
                log.exception("digest %s (%s) for %s failed", digest.id, digest.channel, day)
                return "error"

    async def _process(self, digest: Digest, day: date) -> Outcome:
        now = self.clock()
        t = self.timing
        claim = await self.runs.claim(
            digest.id, day, self.worker, now, now + t.lease, t.max_attempts
        )
        if claim is None:
            return "held"
        beat = asyncio.create_task(self._heartbeat(claim))
        try:
            return await self._post(digest, claim)
        finally:
            beat.cancel()

    async def _post(self, digest: Digest, claim: Claim) -> Outcome:
        try:
            reply = await self.builder.build(digest, claim.local_date)
        except Exception as exc:
            log.exception("digest %s: building failed", digest.id)
            await self.runs.failed(claim, self.clock() + self.timing.retry_after, repr(exc))
            return "failed"
        # Fenced: if our claim was taken over (we stalled past the lease), we must not send.
        if not await self.runs.start_sending(claim, self.clock() + self.timing.lease):
            return "lost"
        channel = digest.channel
        try:
            message_id = await self.sender.send(
                channel.platform, channel.team_id, channel.channel_id, reply
            )
        except DeliveryRejected as exc:
            log.warning("digest %s: %s refused the post: %s", digest.id, channel.platform, exc)
            if exc.permanent:
                await self._refused(digest, claim, exc.refusal)
                return "refused"
            await self.runs.failed(claim, self.clock() + self.timing.retry_after, str(exc))
            if claim.attempt >= self.timing.max_attempts:  # that was today's last try
                await self._tell(digest, gave_up_notice(exc.refusal, claim.attempt))
            return "failed"
        except Exception as exc:
            # It may have arrived: never repeat it blind (see bot.store.digest_runs).
            log.error("digest %s: send outcome unknown (%s); not retried", digest.id, exc)
            await self.runs.uncertain(claim, repr(exc))
            return "uncertain"
        await self.runs.posted(claim, message_id, self.clock())
        return "posted"

    async def _refused(self, digest: Digest, claim: Claim, refusal: Refusal) -> None:
        """Asking again can't help: stop for good, and tell whoever set it up (privately).

        The digest is turned off, so a channel the bot lost is reported once, not daily.
        """
        await self.runs.refused(claim, refusal.reason)
        await self.digests.disable(digest.channel)
        await self._tell(digest, refusal_notice(refusal))

    async def _tell(self, digest: Digest, notice: Reply) -> None:
        """A private message to whoever set the digest up; failures are only logged."""
        if not digest.set_up_by:
            log.warning("digest %s: nobody on record to tell: %s", digest.id, notice.title)
            return
        try:
            said = localize(notice, dialect_of(digest.channel.platform))
            await self.sender.tell(digest.channel, digest.set_up_by, said)
        except Exception as exc:
            # The same missing access often stops the private message too: the log remains.
            log.warning("digest %s: could not tell %s why (%s)", digest.id, digest.set_up_by,
                        type(exc).__name__)

    async def _heartbeat(self, claim: Claim) -> None:
        while True:
            await asyncio.sleep(self.timing.heartbeat)
            try:
                if not await self.runs.heartbeat(claim, self.clock() + self.timing.lease):
                    return  # taken over or finished: start_sending will notice
            except Exception:
                log.warning("digest %s: heartbeat failed; retrying", claim.digest_id)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Once a minute until ``stop`` is set; a failing round is logged, not fatal."""
        log.info("digest worker %s started", self.worker)
        while not stop.is_set():
            try:
                outcomes = await self.run_once()
                if outcomes:
                    log.info("digest round: %s", dict(outcomes))
            except Exception:
                log.exception("digest round failed; trying again next minute")
            now = self.clock()
            wait = 60 - now.second - now.microsecond / 1e6
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=max(wait, 1.0))

