"""edit, delete and tag: changing entries that exist. One write each, after at most one look."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime

from bot import commands as c
from bot.confirm import check, issue
from bot.context import Context
from bot.domain import Account, EntryChanges, TimeEntry
from bot.errors import LookupFailed, UsageError
from bot.grammar.declare import handles
from bot.handlers.entries import span
from bot.handlers.entry_refs import FULL_ID_DIGITS, explained, forget, note, pick, resolve
from bot.handlers.timer import resolve_project
from bot.ports import MAX_BULK_IDS
from bot.present import entry_details, new_tags_note, title_of
from bot.replies import Button, Reply, Tone
from bot.timefmt import period_bounds

MAX_FAILURES_SHOWN = 5


@handles(c.EditEntry)
async def edit(cmd: c.EditEntry, ctx: Context) -> Reply:
    account = ctx.require_account()
    entry = await resolve(ctx, cmd.ref)
    start, stop = _times(cmd, entry, ctx)
    changes = replace(
        await _project(cmd, entry, ctx), tags=_tag_list(cmd, entry), add_tags=cmd.add_tags,
        remove_tags=cmd.remove_tags, start=start, stop=stop, description=cmd.description,
        billable=cmd.billable,
    )
    new_tags = new_tags_note(cmd.add_tags, await ctx.cached_catalog(entry.workspace_id))
    async with explained(cmd.ref if cmd.ref != "last" else str(entry.id)):
        saved = await ctx.api().update_entry(entry.workspace_id, entry.id, changes)
    note(account, saved.entry)
    catalog = await ctx.learn_tags(saved.tags) or await ctx.cached_catalog(entry.workspace_id)
    details = entry_details(saved.entry, catalog)
    return Reply(
        title=f"Updated “{title_of(saved.entry)}”",
        lines=tuple(x for x in (span(saved.entry, ctx.tz, ctx.now), details, new_tags) if x),
        tone=Tone.SUCCESS,
    )


async def _project(cmd: c.EditEntry, entry: TimeEntry, ctx: Context) -> EntryChanges:
    if cmd.project is None:
        return EntryChanges()
    if not cmd.project:
        return EntryChanges(clear_project=True)
    catalog = await ctx.catalog(entry.workspace_id)
    return EntryChanges(project_id=(await resolve_project(ctx, catalog, cmd.project)).id)


def _tag_list(cmd: c.EditEntry, entry: TimeEntry) -> tuple[str, ...] | None:
    """One direction adds or removes; both at once send the resulting list."""
    if not (cmd.add_tags and cmd.remove_tags):
        return None
    dropped = {t.casefold() for t in cmd.remove_tags}
    kept = [t for t in entry.tags if t.casefold() not in dropped]
    known = {k.casefold() for k in kept}
    return (*kept, *(t for t in cmd.add_tags if t.casefold() not in known))


def _times(
    cmd: c.EditEntry, entry: TimeEntry, ctx: Context
) -> tuple[datetime | None, datetime | None]:
    """Clock times on the entry's own day, in the person's Toggl time zone."""
    if cmd.start is None and cmd.stop is None:
        return None, None
    tz = ctx.tz
    start = entry.start
    if cmd.start is not None:
        start = datetime.combine(entry.start.astimezone(tz).date(), cmd.start, tz)
    stop = entry.stop
    if cmd.stop is not None:
        stop = datetime.combine(start.astimezone(tz).date(), cmd.stop, tz)
    start = start.astimezone(UTC)  # compare instants, not wall clocks
    if stop is None:
        if start > ctx.now:
            raise UsageError("A running entry can't start in the future.", "edit")
        return start, None
    stop = stop.astimezone(UTC)
    if stop <= start:
        raise UsageError("The entry would stop before it starts.", "edit")
    return start, stop


@handles(c.DeleteEntry)
async def delete(cmd: c.DeleteEntry, ctx: Context) -> Reply:
    account = ctx.require_account()
    if cmd.confirm:
        return await _delete_confirmed(cmd, account, ctx)
    entry = await resolve(ctx, cmd.ref)
    token = issue(ctx.confirm_secret, ctx.key, f"entry:{entry.id}", entry.workspace_id, ctx.now)
    return Reply(
        title=f"Delete “{title_of(entry)}”?",
        lines=(span(entry, ctx.tz, ctx.now), "This can't be undone. The button works for you, "
               "for 10 minutes."),
        buttons=(Button("Delete entry", f"delete {entry.id} confirm {token}", "danger"),),
        tone=Tone.WARNING,
    )


async def _delete_confirmed(cmd: c.DeleteEntry, account: Account, ctx: Context) -> Reply:
    if not cmd.ref.isdigit():
        raise UsageError("A confirmation names the entry by its id.", "delete")
    entry_id = int(cmd.ref)
    wid = check(ctx.confirm_secret, ctx.key, f"entry:{entry_id}", cmd.confirm, ctx.now)
    known = next((e for e in (account.running, account.last) if e and e.id == entry_id), None)
    name = f"“{title_of(known)}”" if known else f"the entry `{entry_id}`"
    try:
        async with explained(cmd.ref):
            await ctx.api().delete_entry(wid, entry_id)
    except LookupFailed:
        forget(account, entry_id)
        return Reply(title=f"{name[0].upper()}{name[1:]} was already deleted")
    forget(account, entry_id)
    return Reply(title=f"Deleted {name}", tone=Tone.SUCCESS)


@handles(c.TagEntries)
async def tag(cmd: c.TagEntries, ctx: Context) -> Reply:
    """One look (the period, or recent entries for ids), then a PATCH per 100 entries."""
    account = ctx.require_account()
    targets = await _targets(cmd, account, ctx)
    if not targets:
        return Reply(title="No entries there to tag")
    by_workspace: dict[int, list[int]] = defaultdict(list)
    for entry in targets:
        by_workspace[entry.workspace_id].append(entry.id)
    done: list[int] = []
    failed: list[tuple[int, str]] = []
    for wid, ids in by_workspace.items():
        for first in range(0, len(ids), MAX_BULK_IDS):
            result = await ctx.api().retag_entries(
                wid, ids[first : first + MAX_BULK_IDS], cmd.add_tags, cmd.remove_tags)
            done += result.success
            failed += result.failure
    _retag_memory(account, set(done), cmd)
    reply = _tag_reply(cmd, len(done), failed)
    new_tags = new_tags_note(cmd.add_tags, await ctx.cached_catalog()) if done else ""
    return replace(reply, lines=(*reply.lines, new_tags)) if new_tags else reply


async def _targets(cmd: c.TagEntries, account: Account, ctx: Context) -> list[TimeEntry]:
    if cmd.period is not None:
        start, end, _ = period_bounds(cmd.period, ctx.now, ctx.tz)
        return [row.entry for row in await ctx.api().entries(start, end, ctx.scope())]
    wanted = [r for r in cmd.refs if r != "last"]
    recent = await ctx.api().recent_entries() if wanted or account.last is None else []
    found: dict[int, TimeEntry] = {}
    if "last" in cmd.refs:
        last = account.last or (max(recent, key=lambda e: e.start) if recent else None)
        if last is None:
            raise LookupFailed("You have no time entries yet.")
        found[last.id] = last
    for ref in wanted:
        try:
            entry = pick(ref, recent)
        except LookupFailed:
            if len(ref) < FULL_ID_DIGITS:
                raise
            # An older entry by its full id: Toggl's answer says whether it exists.
            entry = TimeEntry(int(ref), account.workspace_id, "", ctx.now)
        found[entry.id] = entry
    return list(found.values())


def _retag_memory(account: Account, ids: set[int], cmd: c.TagEntries) -> None:
    """The PATCH answer has ids only: apply the same change to the entries we remember."""
    dropped = {t.casefold() for t in cmd.remove_tags}
    for slot in ("running", "last"):
        entry: TimeEntry | None = getattr(account, slot)
        if entry is not None and entry.id in ids:
            kept = [t for t in entry.tags if t.casefold() not in dropped]
            added = [t for t in cmd.add_tags if t.casefold() not in {k.casefold() for k in kept}]
            setattr(account, slot, _with_tags(entry, (*kept, *added)))


def _with_tags(entry: TimeEntry, tags: tuple[str, ...]) -> TimeEntry:
    return replace(entry, tags=tags)


def _tag_reply(cmd: c.TagEntries, done: int, failed: list[tuple[int, str]]) -> Reply:
    change = " ".join([*(f"#{t}" for t in cmd.add_tags), *(f"-#{t}" for t in cmd.remove_tags)])
    noun = "entry" if done == 1 else "entries"
    lines = [f"`{i}`: {why or 'refused'}" for i, why in failed[:MAX_FAILURES_SHOWN]]
    if len(failed) > MAX_FAILURES_SHOWN:
        lines.append(f"…and {len(failed) - MAX_FAILURES_SHOWN} more.")
    if failed:
        lines.insert(0, f"Toggl refused {len(failed)}:")
    tone = Tone.SUCCESS if not failed else Tone.WARNING if done else Tone.ERROR
    return Reply(title=f"Tagged {done} {noun} {change}", lines=tuple(lines), tone=tone)

