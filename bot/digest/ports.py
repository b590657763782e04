"""The ports digests depend on: subscriptions, the run ledger, and a way to post."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.digest.model import Channel, Claim, Digest, RunState, Schedule
from bot.domain import UserKey
from bot.replies import Reply


class DeliveryRejected(Exception):
    """The platform answered and refused the post: it certainly did not arrive.

    Anything else a sender raises (timeouts, dropped connections) leaves the outcome
    unknown, and the run is marked uncertain instead of being repeated.
    """


class DigestStore(Protocol):
    """Channel subscriptions and their opt-in members; each method one short transaction."""

    async def subscribe(self, channel: Channel, schedule: Schedule) -> Digest:
        """Create or update (and enable) the channel's digest; members are kept."""
        ...

    async def find(self, channel: Channel) -> Digest | None: ...

    async def disable(self, channel: Channel) -> bool:
        """False when there was no enabled digest."""
        ...

    async def join(self, digest_id: int, key: UserKey) -> bool:
        """Add a logged-in user; False when already a member (or not logged in)."""
        ...

    async def leave(self, digest_id: int, key: UserKey) -> bool:
        """False when the user was not a member."""
        ...

    async def enabled(self) -> list[Digest]:
        """Every enabled digest with its members, for the scheduler."""
        ...


class RunLedger(Protocol):
    """digest_runs: who posts which (digest, local date). Atomic in the database, not memory."""

    async def runs_since(self, first: date) -> dict[tuple[int, date], RunState]: ...

    async def claim(
        self, digest_id: int, local_date: date, worker: str, now: datetime, lease_until: datetime,
        max_attempts: int,
    ) -> Claim | None:
        """Insert the run, or take over an expired claim or a failed run; None if held/done."""
        ...

    async def heartbeat(self, claim: Claim, lease_until: datetime) -> bool: ...

    async def start_sending(self, claim: Claim, lease_until: datetime) -> bool:
        """claimed -> sending, only while this worker still holds the claim."""
        ...

    async def posted(self, claim: Claim, message_id: str, now: datetime) -> None: ...

    async def failed(self, claim: Claim, retry_at: datetime, error: str) -> None: ...

    async def uncertain(self, claim: Claim, error: str) -> None: ...


class DigestSender(Protocol):
    """Posts a reply to a channel; returns the platform's message id."""

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str: ...
