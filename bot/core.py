"""The dispatcher: Invocation -> Reply. The only place errors turn into replies."""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from bot import commands as c
from bot.context import Context
from bot.digest.ports import DigestStore
from bot.domain import UserKey
from bot.errors import (
    LookupFailed,
    PremiumRequired,
    QuotaExhausted,
    StorageUnavailable,
    TogglbotError,
    TokenRejected,
    TokenUnreadable,
    UsageError,
)
from bot.grammar import parse
from bot.handlers import account, catalog, clients, digest, edits, entries, help, report, timer
from bot.ports import AccountStore
from bot.present import quota_footer
from bot.ratelimit import RateLimiter
from bot.replies import Reply, Tone, error
from bot.timefmt import clock_time
from bot.toggl import TogglClient
from bot.toggl.transport import Clock

log = logging.getLogger(__name__)

# Commands that never call Toggl are not rate limited.
FREE_COMMANDS = (c.Help, c.QuotaStatus, c.Logout)
SuggestKind = Literal["project", "client", "tag"]
Handler = Callable[[Any, Context], Awaitable[Reply]]

HANDLERS: dict[type, Handler] = {
    c.Login: account.login,
    c.Logout: account.logout,
    c.QuotaStatus: account.quota,
    c.Refresh: account.refresh,
    c.Start: timer.start,
    c.Stop: timer.stop,
    c.Current: timer.current,
    c.Continue: timer.continue_,
    c.Summary: report.summary_,
    c.Overview: report.overview,
    c.ListClients: catalog.clients,
    c.ListProjects: catalog.projects,
    c.AddClient: catalog.add_client,
    c.RenameClient: clients.rename,
    c.ArchiveClient: clients.archive,
    c.RestoreClient: clients.restore,
    c.DeleteClient: clients.delete,
    c.AddProject: catalog.add_project,
    c.ListTags: catalog.tags,
    c.AddTag: catalog.add_tag,
    c.ListEntries: entries.entries,
    c.AddEntry: entries.add,
    c.EditEntry: edits.edit,
    c.DeleteEntry: edits.delete,
    c.TagEntries: edits.tag,
    c.Help: help.help_,
    c.DigestAt: digest.subscribe,
    c.DigestJoin: digest.join,
    c.DigestLeave: digest.leave,
    c.DigestShow: digest.show,
    c.DigestOff: digest.off,
}


@dataclass(frozen=True, slots=True)
class Invocation:
    """One thing a person typed (or clicked), as every adapter hands it over."""

    platform: str
    team_id: str
    user_id: str
    text: str
    channel_id: str = ""
    locale: str = "en"

    @property
    def key(self) -> UserKey:
        return UserKey(self.platform, self.team_id, self.user_id)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Core:
    """Parses, runs the handler for the person, remembers what it learned, renders errors."""

    def __init__(
        self,
        store: AccountStore,
        toggl: TogglClient,
        clock: Clock = utcnow,
        catalog_ttl: timedelta = timedelta(hours=12),
        digests: DigestStore | None = None,
        confirm_secret: bytes | None = None,
    ) -> None:
        self.store = store
        # Signs Delete confirmations; shared by all processes when built by bot.app.
        self.confirm_secret = confirm_secret or secrets.token_bytes(32)
        self.digests = digests
        self.toggl = toggl
        self.clock = clock
        self.catalog_ttl = catalog_ttl
        # One command at a time per person: a double-clicked Stop runs once, then sees it done.
        self._locks: weakref.WeakValueDictionary[UserKey, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        # Protects each person's (shared) Toggl quota from a runaway client or a stuck key.
        self.limiter: RateLimiter[UserKey] = RateLimiter(clock)

    async def dispatch(self, invocation: Invocation) -> Reply:
        """Run what the person typed; never raises."""
        try:
            command = parse(invocation.text)
        except UsageError as exc:
            return error(exc.message, exc.usage)
        return await self.execute(invocation.key, command, channel_id=invocation.channel_id)

    async def execute(self, key: UserKey, command: c.Command, *, channel_id: str = "") -> Reply:
        """Run a parsed command for ``key`` (buttons call this with the clicker's key)."""
        started = time.perf_counter()
        if not isinstance(command, FREE_COMMANDS):
            wait = self.limiter.take(key)
            if wait is not None:
                seconds = math.ceil(wait.total_seconds())
                return Reply(title=f"Slow down a little: try again in {seconds} s.",
                             tone=Tone.WARNING)
        lock = self._locks.setdefault(key, asyncio.Lock())
        ctx = Context(
            key, self.store, self.toggl, self.clock, catalog_ttl=self.catalog_ttl,
            channel_id=channel_id, digests=self.digests, confirm_secret=self.confirm_secret,
        )
        outcome = "ok"
        try:
            async with lock:
                reply = await self._run(ctx, command)
        except TogglbotError as exc:
            outcome = type(exc).__name__
            reply = self._error_reply(ctx, exc)
        except Exception:
            outcome = "crash"
            log.exception("command %s failed for %s", type(command).__name__, key)
            reply = error("Something went wrong on our side. Try again in a moment.")
        calls = ctx.session.calls if ctx.session else 0
        log.info(
            "command=%s user=%s outcome=%s toggl_calls=%d ms=%.1f",
            type(command).__name__, key, outcome, calls, (time.perf_counter() - started) * 1000,
        )
        return reply

    async def suggest(
        self, key: UserKey, kind: SuggestKind, typed: str, limit: int = 25
    ) -> list[str]:
        """Names for autocomplete from the cache: never a Toggl call. Prefix matches first."""
        try:
            account = await self.store.get_account(key)
            catalog = (
                await self.store.get_catalog(key, account.workspace_id) if account else None
            )
        except TogglbotError:
            return []
        if catalog is None:
            return []
        names = {
            "project": [p.name for p in catalog.projects if p.active],
            "client": [x.name for x in catalog.clients if not x.archived],
            "tag": [t.name for t in catalog.tags],
        }[kind]
        wanted = typed.casefold().strip()
        hits = [n for n in names if wanted in n.casefold()]
        hits.sort(key=lambda n: (not n.casefold().startswith(wanted), n.casefold()))
        return hits[:limit]

    async def _run(self, ctx: Context, command: c.Command) -> Reply:
        try:
            loaded = await self.store.get_account(ctx.key)
        except TokenUnreadable:
            # A lost key costs a login, not the account: these need no stored token.
            if not isinstance(command, c.Login | c.Logout | c.Help):
                raise
            loaded = None
        ctx.account = loaded
        ctx.saved = replace(loaded) if loaded is not None else None
        try:
            reply = await HANDLERS[type(command)](command, ctx)
        except TokenRejected:
            if ctx.account is not None and ctx.account is loaded:
                ctx.account.token_valid = False
            raise
        finally:
            # Save what we learned (quota, entries) even when the command failed.
            await self._remember(ctx)
        if ctx.account is not None:
            footer = quota_footer(ctx.account, ctx.now, ctx.tz)
            if footer and not reply.footer:
                reply = replace(reply, footer=footer)
        return reply

    async def _remember(self, ctx: Context) -> None:
        account = ctx.account
        if account is None:
            return
        if ctx.session is not None:
            account.note_quotas(ctx.session.quotas)
        if account != ctx.saved:
            await ctx.save_account(account)

    def _error_reply(self, ctx: Context, exc: TogglbotError) -> Reply:
        if isinstance(exc, QuotaExhausted):
            when = (
                f" It resets at {clock_time(exc.resets_at, ctx.tz)}."
                if exc.resets_at is not None
                else " Try again later this hour."
            )
            return Reply(title=exc.message + when, tone=Tone.WARNING)
        if isinstance(exc, LookupFailed | StorageUnavailable | PremiumRequired):
            # Not the person's mistake: a name to pick again, an outage, or their Toggl plan.
            return Reply(title=exc.message, tone=Tone.WARNING)
        if isinstance(exc, UsageError):
            return error(exc.message, exc.usage)
        return error(exc.message)
