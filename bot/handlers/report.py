"""summary: one Toggl call (entries with project/client names), grouped here."""

from __future__ import annotations

from dataclasses import replace

from bot import commands as c
from bot import summary
from bot.context import Context
from bot.domain import ListedEntry
from bot.grammar.declare import handles
from bot.handlers.entries import named
from bot.handlers.home import with_extras
from bot.present import CONTINUE, STOP, quota_lines, running_line, title_of
from bot.replies import Button, Reply
from bot.timefmt import duration, period_bounds


@handles(c.Summary)
async def summary_(cmd: c.Summary, ctx: Context) -> Reply:
    start, end, title = period_bounds(cmd.period, ctx.now, ctx.tz)
    sheet = await ctx.api().timesheet(start, end, ctx.scope())
    _learn_from(list(sheet.entries), ctx)
    result = summary.of_sheet(sheet, start, end, ctx.now, await ctx.cached_catalog())
    reply = summary.reply(title, result)
    return replace(reply, buttons=(STOP,) if result.running else (), shareable=True)


def _learn_from(listed: list[ListedEntry], ctx: Context) -> None:
    """The answer shows what runs and what ran last: remember it, for free.

    Absence proves nothing (Toggl filters by start time), so we only learn positively.
    """
    account = ctx.require_account()
    for entry in sorted((row.entry for row in listed), key=lambda e: e.start):
        known_running = account.running is not None and account.running.id == entry.id
        newer = account.last is None or entry.start >= account.last.start
        if known_running or newer or entry.running:
            account.remember(entry)


@handles(c.Overview)
async def overview(cmd: c.Overview, ctx: Context) -> Reply:
    """Who is connected, what runs, today's total and the quota: one Toggl call."""
    if ctx.account is None:
        return Reply(
            title="Not connected to Toggl",
            lines=("Connect your account to start tracking from chat.",),
            buttons=(Button("Connect Toggl", "login", "primary"),),
        )
    account = ctx.account
    start, end, _ = period_bounds(c.Period("today"), ctx.now, ctx.tz)
    listed = await ctx.api().entries(start, end, ctx.scope())
    _learn_from(listed, ctx)
    result = summary.totals(listed, start, end, ctx.now, await ctx.cached_catalog())
    running = account.running
    lines = [
        f"“{title_of(running)}” · {running_line(running, ctx.now, ctx.tz)}"
        if running is not None
        else "No timer is running.",
        f"Today: {duration(result.total)}",
    ]
    if ctx.session is not None:
        account.note_quotas(ctx.session.quotas)
    lines += quota_lines(account, ctx.now, ctx.tz)
    buttons = (STOP,) if running is not None else ((CONTINUE,) if account.last else ())
    panel = Reply(title=f"Connected as {account.name or 'you'}", lines=tuple(lines),
                  buttons=buttons)
    return await with_extras(panel, named(listed, await ctx.cached_catalog()), ctx)
