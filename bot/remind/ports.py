"""What reminders depend on: their store (SQL implements it) and a way to message a person."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.domain import UserKey
from bot.remind.model import Kind, Person, Release, SendClaim, Settings
from bot.replies import Reply


class ReminderSender(Protocol):
    """A private message to one person, with buttons only they can use (Slack: the app's
    DM; Discord: a DM). Raises ``bot.digest.ports.DeliveryRejected`` when refused; any
    other error means the message may have arrived."""


    async def remind(self, key: UserKey, reply: Reply) -> None: ...


class ReminderStore(Protocol):
    """Settings for the `remind` commands; each method one short transaction."""

    async def get(self, key: UserKey) -> Settings | None: ...

    async def save(self, key: UserKey, settings: Settings, now: datetime) -> bool: ...

    async def delete(self, key: UserKey) -> bool: ...

    async def touch(self, key: UserKey, now: datetime) -> None: ...

    async def settled(self, key: UserKey, day: date) -> frozenset[Kind]: ...

    async def answer(self, key: UserKey, kind: Kind, day: date, now: datetime) -> bool: ...


class ReminderLedger(Protocol):
    """The scheduler's side of the store: leases on people, and the at-most-once sends."""

    async def lease_due(
        self, now: datetime, worker: str, lease_until: datetime, limit: int,
        platforms: frozenset[str] | None = None,
    ) -> list[Person]: ...

    async def settled_since(
        self, account_ids: list[int], first: date
    ) -> dict[tuple[int, date], frozenset[Kind]]: ...

    async def release(self, releases: list[Release], worker: str) -> None:
        """Hand people back with their next look, in one statement."""
        ...

    async def claim_send(
        self, account_id: int, kind: Kind, day: date, worker: str, now: datetime,
        lease_until: datetime, max_attempts: int,
    ) -> SendClaim | None: ...

    async def start_sending(self, claim: SendClaim, lease_until: datetime) -> bool: ...

    async def sent(self, claim: SendClaim, now: datetime) -> None: ...

    async def failed(self, claim: SendClaim, retry_at: datetime, error: str) -> None: ...

    async def refused(self, claim: SendClaim, error: str) -> None: ...

    async def uncertain(self, claim: SendClaim, error: str) -> None: ...
