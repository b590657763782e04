"""The ports digests depend on: subscriptions, the run ledger, and a way to post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.digest.model import Channel, Claim, Digest, RunState, Schedule
from bot.domain import UserKey
from bot.replies import Reply


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the bot can't post to a channel, and what a person can do about it.

    ``reason`` is the platform's own word (``not_in_channel``, ``Missing Access``); ``fix``
    is written by the adapter in the platform's terms (``/invite @togglbot``).
    """

    reason: str
    fix: str = ""


class DeliveryRejected(Exception):
    """The platform answered and refused the post: it certainly did not arrive.

    ``permanent``: asking again today can't help (no access, archived channel, a missing
    scope); the run is not retried and whoever set the digest up is told. Otherwise (still
    rate-limited, Slack unreachable) the run is retried later.

    Anything else a sender raises (timeouts, dropped connections) leaves the outcome
    unknown, and the run is marked uncertain instead of being repeated.
    """

    def __init__(self, reason: str, *, permanent: bool = False, fix: str = "") -> None:
        super().__init__(reason)
        self.refusal = Refusal(reason, fix)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Announcement:
    """What `digest at` learnt from the platform while the person waited.

    ``posted``: the set-up notice is already in the channel, posted by the bot exactly as
    the digest will be (so there is nothing left to answer). ``refusal``: the bot can't
    post there. Neither: the check passed and the command's answer shows the notice.
    ``notes``: things that work, but not fully (e.g. no permission to attach the chart).
    """

    posted: bool = False
    refusal: Refusal | None = None
    notes: tuple[str, ...] = ()


class ChannelAccess(Protocol):
    """The platform's answer to "may the bot post digests here?", asked by `digest at`."""

    async def announce(self, channel: Channel, notice: Reply) -> Announcement:
        """Check (and, where the check is a post, post ``notice``) for ``channel``."""
        ...


class DigestStore(Protocol):
    """Channel subscriptions and their opt-in members; each method one short transaction."""

    async def subscribe(
        self, channel: Channel, schedule: Schedule, set_up_by: str = ""
    ) -> Digest:
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

    async def disable_team(self, platform: str, team_id: str) -> int:
        """Turn off every digest of a workspace (the app was uninstalled); how many."""
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

    async def refused(self, claim: Claim, error: str) -> None:
        """The platform refused for good: never retried (unlike ``failed``)."""
        ...


class DigestSender(Protocol):
    """Posts a reply to a channel; returns the platform's message id."""

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str: ...

    async def tell(self, channel: Channel, user_id: str, reply: Reply) -> None:
        """A private message to one person of the channel's team about its digest
        (Slack: the app's DM; Discord: a DM). Raises DeliveryRejected when refused."""
        ...
