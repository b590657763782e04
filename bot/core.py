"""The dispatcher: Invocation -> Reply. The only place errors turn into replies."""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
import time
import weakref
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Literal

from pydantic import SecretStr

from bot import commands as c
from bot import handlers as _handlers  # noqa: F401  (joins every handler to its command)
from bot import status
from bot.channels import ChannelDefault, ChannelStore
from bot.clock import Clock, utcnow
from bot.context import Context
from bot.dialects.syntax import dialect_of, localize
from bot.dialects.text import parse
from bot.digest.model import Channel
from bot.digest.ports import ChannelAccess, DigestStore
from bot.domain import Account, TimeEntry, UserKey
from bot.errors import (
    LookupFailed,
    NotLoggedIn,
    PremiumRequired,
    QuotaExhausted,
    StorageUnavailable,
    TogglbotError,
    TokenRejected,
    TokenUnreadable,
    TooManyCommands,
    UsageError,
)
from bot.grammar.declare import declaration_of
from bot.mention import mention, usage
from bot.ports import AccountStore, TogglConnector
from bot.present import quota_footer
from bot.ratelimit import RateLimiter
from bot.remind.ports import ReminderStore
from bot.replies import Button, Reply, Tone, error
from bot.timefmt import clock_time

log = logging.getLogger(__name__)

SuggestKind = Literal["project", "client", "tag"]



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


class Core:
    """Parses, runs the handler for the person, remembers what it learned, renders errors."""

    def __init__(
        self,
        store: AccountStore,
        toggl: TogglConnector,
        clock: Clock = utcnow,
        catalog_ttl: timedelta = timedelta(hours=12),
        digests: DigestStore | None = None,
        confirm_secret: bytes | None = None,
        command_limit: bool = True,
        channels: ChannelStore | None = None,
        status_links: status.StatusLinks | None = None,
        reminders: ReminderStore | None = None,
    ) -> None:
        self.store = store
        self.channels = channels
        self.status_links = status_links
        self.reminders = reminders
        # Each platform's status (Slack), attached by its adapter when it starts.
        self.status_boards: dict[str, status.StatusBoard] = {}
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
        # A guard against runaway clients (a stuck key, a script): about a command a second
        # per person, a minute's worth at once. Only commands that call Toggl count; the
        # quota ledger, not this, protects the hourly quota. None: one person (console).
        self.limiter: RateLimiter[UserKey] | None = (
            RateLimiter(clock, capacity=60, refill=timedelta(seconds=1)) if command_limit
            else None
        )

    async def dispatch(
        self, invocation: Invocation, *, access: ChannelAccess | None = None
    ) -> Reply:
        """Run what the person typed; never raises. ``access``: see ``execute``."""
        try:
            command = parse(invocation.text)
        except UsageError as exc:
            return self.explain(exc, invocation.platform)
        return await self.execute(
            invocation.key, command, channel_id=invocation.channel_id, access=access
        )

    def explain(self, exc: UsageError, platform: str) -> Reply:
        """A usage error as a reply in the platform's own words."""
        return localize(_usage_reply(exc), dialect_of(platform))

    async def execute(
        self, key: UserKey, command: c.Command, *, channel_id: str = "",
        access: ChannelAccess | None = None,
    ) -> Reply:
        """Run a parsed command for ``key`` (buttons call this with the clicker's key).

        ``access``: the platform's check that the bot may post in ``channel_id``, for
        `digest at`; None where there is no channel to post to (console, buttons).
        """
        started = time.perf_counter()
        lock = self._locks.setdefault(key, asyncio.Lock())
        ctx = Context(
            key, self.store, self.toggl, self.clock, catalog_ttl=self.catalog_ttl,
            channel_id=channel_id, digests=self.digests, confirm_secret=self.confirm_secret,
            access=access, reminders=self.reminders,
            admit=lambda: self._admit(key),
            channels=self.channels,
            status_board=self.status_boards.get(key.platform),
            status_links=self.status_links,
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
        reply = localize(reply, dialect_of(key.platform))
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
            loaded, ctx.unreadable = None, True
        ctx.account = loaded
        ctx.saved = replace(loaded) if loaded is not None else None
        before = loaded.running if loaded is not None else None
        try:
            handler = declaration_of(type(command)).handler
            assert handler is not None, f"{type(command).__name__} has no handler"
            reply: Reply = await handler(command, ctx)
        except TokenRejected:
            if ctx.account is not None and ctx.account is loaded:
                ctx.account.token_valid = False
            raise
        finally:
            # Save what we learned (quota, entries) even when the command failed.
            await self._remember(ctx)
            await self._show_status(ctx, before)
        if ctx.account is not None:
            footer = quota_footer(ctx.account, ctx.now, ctx.tz)
            if footer and not reply.footer:
                reply = replace(reply, footer=footer)
        return reply

    async def _remember(self, ctx: Context) -> None:
        """The one place a command's changes are written: the account (quotas included),
        then the catalogs it learned, each once. The catalogs are filed under the account."""
        if ctx.forgotten:
            await self.store.delete_account(ctx.key)
            return
        account = ctx.account
        if account is None:
            return
        if ctx.session is not None:
            account.note_quotas(ctx.session.quotas)
        changed = account if account != ctx.saved else None
        before = ctx.saved
        # One transaction for everything the command learned.
        await self.store.save_changes(ctx.key, changed, ctx.unsaved_catalogs(),
                                      create=ctx.connected)
        if changed is not None:
            ctx.saved = replace(account)
            if self.reminders is not None and _knows_more(before, account):
                # Reminders plan from what the bot knows: look again on the next tick.
                # A failure here only delays a reminder; the command itself succeeded.
                try:
                    await self.reminders.touch(ctx.key, ctx.now)
                except TogglbotError:
                    log.warning("reminders: could not re-plan for %s", ctx.key)

    async def _show_status(self, ctx: Context, before: TimeEntry | None) -> None:
        """The person's status follows the timer the bot knows of (bot.status)."""
        board, links = ctx.status_board, self.status_links
        if board is None or links is None:
            return
        if ctx.forgotten:  # logout: everything goes, the status permission too
            await status.unlink(board, links, ctx.key)
            return
        running = ctx.account.running if ctx.account is not None else None
        if status.changed(before, running):
            await status.sync(board, links, ctx.key, running, ctx.now)

    async def link_status(self, key: UserKey, token: SecretStr) -> None:
        """The person allowed their status to be set (the platform's authorization came
        back): keep the token, and show the timer the bot knows of at once."""
        board = self.status_boards.get(key.platform)
        if self.status_links is None or board is None:
            raise TogglbotError("Statuses are not enabled on this bot.")
        await self.status_links.save(key, token)
        account = await self.store.get_account(key)
        if account is not None and account.running is not None:
            await status.sync(board, self.status_links, key, account.running, self.clock())

    async def drop_status(self, key: UserKey) -> bool:
        """The platform says the person revoked the permission: forget the dead token."""
        return await self.status_links.delete(key) if self.status_links is not None else False

    async def channel_default(self, platform: str, team_id: str,
                              channel_id: str) -> ChannelDefault | None:
        """A channel's default project and tags, to prefill a form; None when unset."""
        if self.channels is None or not channel_id:
            return None
        try:
            return await self.channels.get_default(Channel(platform, team_id, channel_id))
        except TogglbotError:
            return None

    def _admit(self, key: UserKey) -> None:
        """The runaway guard, checked when a command is about to call Toggl."""
        wait = self.limiter.take(key) if self.limiter is not None else None
        if wait is not None:
            raise TooManyCommands(math.ceil(wait.total_seconds()))

    def _error_reply(self, ctx: Context, exc: TogglbotError) -> Reply:
        if isinstance(exc, QuotaExhausted):
            when = (
                f" It resets at {clock_time(exc.resets_at, ctx.tz)}."
                if exc.resets_at is not None
                else " Try again later this hour."
            )
            return Reply(title=exc.message + when, tone=Tone.WARNING)
        if isinstance(exc, LookupFailed | StorageUnavailable | PremiumRequired | TooManyCommands):
            # Not the person's mistake: a name to pick again, an outage, or their Toggl plan.
            return Reply(title=exc.message, tone=Tone.WARNING)
        if isinstance(exc, UsageError):
            return _usage_reply(exc)
        if isinstance(exc, NotLoggedIn | TokenRejected | TokenUnreadable):
            return Reply(title=exc.message, tone=Tone.ERROR, buttons=(CONNECT,),
                         lines=(f"Connect with `{mention('login')}`: it asks for your Toggl API "
                                "token privately.",))
        return error(exc.message)


CONNECT = Button("Connect Toggl", "login", "primary")


def _knows_more(before: Account | None, after: Account) -> bool:
    """A timer started or stopped, or a token fixed: what reminders plan from changed."""
    if before is None:
        return True
    return (before.running, before.last, before.token_valid) != (
        after.running, after.last, after.token_valid)


def _usage_reply(exc: UsageError) -> Reply:
    return error(exc.message, usage(exc.command) if exc.command else "")
