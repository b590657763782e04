"""Fakes and seeding shared by the digest tests and the worker processes they start."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from pydantic import SecretStr

from bot.clock import Clock
from bot.digest.model import Channel
from bot.digest.ports import DeliveryRejected
from bot.domain import Account, UserKey
from bot.emulator import FakeUser, TogglEmulator
from bot.ports import AccountStore
from bot.replies import Reply
from bot.toggl import RetryPolicy, TogglClient, Transport

API = "http://toggl.test/api/v9"


async def no_sleep(seconds: float) -> None:
    """Retry waits happen instantly in tests."""


@dataclass(frozen=True, slots=True)
class Sent:
    platform: str
    team_id: str
    channel_id: str
    reply: Reply


@dataclass
class FakeSender:
    """A DigestSender that remembers every post; channels can be told to refuse or break."""

    sent: list[Sent] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # the platform says no (definite)
    forbid: set[str] = field(default_factory=set)  # ... for good (no access to the channel)
    break_: set[str] = field(default_factory=set)  # a timeout: outcome unknown
    told: list[tuple[Channel, str, Reply]] = field(default_factory=list)

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str:
        await asyncio.sleep(0)  # let other digests interleave, as real I/O would
        if channel_id in self.forbid:
            raise DeliveryRejected("not_in_channel", permanent=True, fix="Invite me.")
        if channel_id in self.refuse:
            raise DeliveryRejected("ratelimited")
        if channel_id in self.break_:
            raise TimeoutError("read timed out")
        self.sent.append(Sent(platform, team_id, channel_id, reply))
        return f"msg-{len(self.sent)}"

    async def tell(self, channel: Channel, user_id: str, reply: Reply) -> None:
        self.told.append((channel, user_id, reply))

    def channels(self) -> list[str]:
        return [s.channel_id for s in self.sent]


def toggl_client(fake: TogglEmulator, clock: Clock) -> tuple[TogglClient, httpx.AsyncClient]:
    """The real Toggl client talking to the fake in-process; close the http client after."""
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake.app))
    transport = Transport(
        API, http=http, clock=clock, sleep=no_sleep, policy=RetryPolicy(timeout=5)
    )
    return TogglClient(transport, clock), http


def token_for(user_id: str) -> str:
    return f"token-{user_id}-0123456789"


async def add_member(
    fake: TogglEmulator,
    accounts: AccountStore,
    user_id: str,
    name: str,
    *,
    timezone: str = "Europe/Berlin",
    platform: str = "slack",
    team_id: str = "T1",
) -> tuple[UserKey, FakeUser]:
    """A chat user logged in to a fake Toggl account (saved in the store)."""
    user = fake.add_user(token_for(user_id), name, timezone)
    key = UserKey(platform, team_id, user_id)
    await accounts.save_account(
        Account(key, SecretStr(user.token), user.id, user.default_workspace_id, timezone, name),
        create=True,
    )
    return key, user


def at(text: str) -> datetime:
    """An aware datetime from ISO text with an offset, e.g. ``2026-11-24T17:00+00:00``."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None
    return moment
