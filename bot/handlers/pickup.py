"""continue and recent: pick up where you left off, from what the bot remembers first."""

from __future__ import annotations

from bot import commands as c
from bot.context import Context
from bot.domain import Catalog, TimeEntry
from bot.errors import LookupFailed
from bot.grammar.declare import handles
from bot.mention import mention
from bot.present import STOP, entry_details, running_line, title_of
from bot.replies import Button, Reply, Tone

MAX_LABEL = 60  # a button's label stays readable


@handles(c.Continue)
async def continue_(cmd: c.Continue, ctx: Context) -> Reply:
    """The last entry, or the recent one ``cmd.which`` names: one Toggl request to start it
    when the bot remembers it, two when it has to look first."""
    account = ctx.require_account()
    if cmd.which:
        chosen = await _matching(cmd.which, ctx)
        if isinstance(chosen, Reply):
            return chosen
        return await _start_again(chosen, ctx)
    last = account.last
    if last is None:
        recent = await _recent(ctx, look=True)
        if not recent:
            return _nothing_yet()
        last = recent[0]
    if last.running:
        # We think it still runs; make sure before answering "already running".
        running = await ctx.api().current_entry()
        if running is not None:
            account.remember(running)
            return Reply(
                title=f"“{title_of(running)}” is already running",
                lines=(running_line(running, ctx.now, ctx.tz),),
                buttons=(STOP,),
            )
    return await _start_again(last, ctx)


@handles(c.Recent)
async def recent(cmd: c.Recent, ctx: Context) -> Reply:
    """The last five different entries, each with Continue: 0 requests when remembered."""
    entries = await _recent(ctx, look=not ctx.require_account().recent)
    if not entries:
        return _nothing_yet()
    catalog = await ctx.cached_catalog()
    return Reply(
        title="Recent entries",
        lines=tuple(_describe(e, catalog) for e in entries),
        buttons=tuple(_continue_button(e) for e in entries),
    )


async def _recent(ctx: Context, *, look: bool) -> tuple[TimeEntry, ...]:
    """What the bot remembers, after one look at Toggl's recent entries if ``look``."""
    account = ctx.require_account()
    if look:
        account.learn_recent(await ctx.api().recent_entries())
    return account.recent


async def _matching(which: str, ctx: Context) -> TimeEntry | Reply:
    """The recent entry ``which`` names (words, or an id from a button); a list to choose
    from when several match."""
    account = ctx.require_account()
    catalog = await ctx.cached_catalog()
    found = _best(which, account.recent, catalog)
    if not found:
        found = _best(which, await _recent(ctx, look=True), catalog)
    if len(found) == 1:
        return found[0]
    if not found:
        shown = ", ".join(f"“{title_of(e)}”" for e in account.recent[:5]) or "none yet"
        raise LookupFailed(f"Nothing recent matches “{which[:40]}”. Recent: {shown}. "
                           f"`{mention('recent')}` lists them with buttons.")
    return Reply(
        title=f"“{which[:40]}” matches {len(found)} recent entries: which one?",
        lines=tuple(_describe(e, catalog) for e in found),
        buttons=tuple(_continue_button(e) for e in found),
    )


def _best(which: str, entries: tuple[TimeEntry, ...], catalog: Catalog | None) -> list[TimeEntry]:
    """An id (from a button) names one entry; words match when each is in the entry's
    description, project or tags (any case). The best matches have the words earliest."""
    if which.isdigit():
        return [e for e in entries if str(e.id) == which or str(e.id).endswith(which)][:1]
    words = which.casefold().split()
    scored = []
    for entry in entries:
        haystack = _describe(entry, catalog).casefold()
        if all(word in haystack for word in words):
            scored.append((sum(haystack.index(w) for w in words), entry))
    if not scored:
        return []
    best = min(score for score, _ in scored)
    exact = [e for score, e in scored if score == best]
    return exact if len(exact) == 1 else [e for _, e in scored]


async def _start_again(entry: TimeEntry, ctx: Context) -> Reply:
    account = ctx.require_account()
    started = (await ctx.api().start_entry(
        entry.workspace_id,
        entry.description,
        start=ctx.now.replace(microsecond=0),
        project_id=entry.project_id,
        tags=entry.tags,
        billable=entry.billable,
    )).entry
    account.remember(started)
    details = entry_details(started, await ctx.cached_catalog(started.workspace_id))
    return Reply(
        title=f"Continued “{title_of(started)}”",
        lines=(details,) if details else (),
        buttons=(STOP,),
        tone=Tone.SUCCESS,
    )


def _describe(entry: TimeEntry, catalog: Catalog | None) -> str:
    """“Code review” · Acme Website #billable"""
    details = entry_details(entry, catalog)
    return f"“{title_of(entry)}”" + (f" · {details}" if details else "")


def _continue_button(entry: TimeEntry) -> Button:
    label = f"Continue “{title_of(entry)}”"
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 2] + "…”"
    return Button(label, f"continue {entry.id}")


def _nothing_yet() -> Reply:
    return Reply(title="Nothing to continue yet", lines=(f"Start one with `{mention('start')}`.",))
