"""start, stop, current, continue: one Toggl call on the common path."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot import commands as c
from bot.context import Context
from bot.domain import Catalog, EntryChanges, Project, SavedEntry, TimeEntry
from bot.errors import (
    LookupFailed,
    TogglError,
    TogglRejected,
    TogglUnavailable,
    UsageError,
)
from bot.grammar.declare import handles
from bot.grammar.phrases import When
from bot.handlers.channel import apply_default
from bot.lookup import match
from bot.present import (
    CONTINUE,
    STOP,
    entry_details,
    new_tags_note,
    quota_brief,
    running_line,
    title_of,
)
from bot.replies import Reply, Tone
from bot.timefmt import clock_time, duration

# A miss on @project refreshes the cache, unless it was just refreshed (typos are free).
MISS_REFRESH_AFTER = timedelta(seconds=30)
# A start that timed out counts as ours if Toggl shows it running from about then.
RECONCILE_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class _Started:
    entry: TimeEntry
    lines: tuple[str, ...]  # details, notes
    previous: TimeEntry | None  # what Toggl stopped to start it, as Toggl recorded it


@handles(c.Start)
async def start(cmd: c.Start, ctx: Context) -> Reply:
    done = await _begin(ctx, cmd)
    lines = done.lines
    if done.previous is not None:
        ran = duration(done.previous.duration(ctx.now))
        lines += (f"Stopped your previous timer “{title_of(done.previous)}” ({ran}).",)
    return Reply(title=f"Started “{title_of(done.entry)}”", lines=lines, buttons=(STOP,),
                 tone=Tone.SUCCESS)


@handles(c.Switch)
async def switch(cmd: c.Switch, ctx: Context) -> Reply:
    """Start the new timer (Toggl stops the running one itself) and say both."""
    done = await _begin(ctx, c.Start(cmd.description, cmd.project, cmd.tags, cmd.billable))
    started = f"Started “{title_of(done.entry)}”"
    if done.previous is None:
        return Reply(title=started, lines=(*done.lines, "Nothing was running."),
                     buttons=(STOP,), tone=Tone.SUCCESS)
    ran = duration(done.previous.duration(ctx.now))
    return Reply(title=f"Stopped “{title_of(done.previous)}” ({ran}) · {started}",
                 lines=done.lines, buttons=(STOP,), tone=Tone.SUCCESS)


async def _begin(ctx: Context, cmd: c.Start) -> _Started:
    account = ctx.require_account()
    cmd, from_channel = await apply_default(cmd, ctx)
    catalog: Catalog | None = None
    project: Project | None = None
    if cmd.project:
        catalog = await ctx.catalog()
        project = await resolve_project(ctx, catalog, cmd.project)
    else:
        catalog = await ctx.cached_catalog()
    was_running = account.running is not None
    started = _start_time(cmd, ctx)
    overlap = _overlap(account.last, started, ctx)
    new_tags = new_tags_note(cmd.tags, catalog)  # before the answer teaches us the tags
    try:
        saved = await _post_start(ctx, cmd, project, started)
    except TogglRejected as exc:
        if project is None or exc.status not in (400, 404):
            raise
        # The cached project may be archived or deleted in Toggl: refresh once and retry.
        catalog = await ctx.reload_catalogs()
        project = _pick_project(catalog, cmd.project or "")
        saved = await _post_start(ctx, cmd, project, started)
    entry = saved.entry
    account.remember(entry)
    catalog = await ctx.learn_tags(saved.tags) or catalog
    previous = await _stopped_by(ctx, entry) if was_running else None
    since = f"Running since {clock_time(entry.start, ctx.tz)}." if cmd.since else ""
    lines = (entry_details(entry, catalog), since, overlap, new_tags, from_channel)
    return _Started(entry, tuple(x for x in lines if x), previous)


def _start_time(cmd: c.Start, ctx: Context) -> datetime:
    """Now, or the moment `15m ago` / `at 9:30` names; never in the future."""
    now = ctx.now.replace(microsecond=0)
    if cmd.since is None:
        return now
    started = cmd.since.instant(now, ctx.tz).astimezone(UTC)
    if started > now:
        raise UsageError(f"{cmd.since.said().capitalize()} is still to come: a timer can't "
                         "start in the future.", "start")
    running = ctx.require_account().running
    if running is not None and started <= running.start:
        # Toggl stops the running timer where the new one starts: it would end before it began.
        raise UsageError(f"“{title_of(running)}” has been running since "
                         f"{clock_time(running.start, ctx.tz)}: start after that.", "start")
    return started


def _overlap(last: TimeEntry | None, started: datetime, ctx: Context) -> str:
    """Allowed, but said: a start before the end of the last entry the bot knows."""
    if last is None or last.stop is None or started >= last.stop:
        return ""
    return (f"It overlaps your last entry “{title_of(last)}”, which ended at "
            f"{clock_time(last.stop, ctx.tz)}.")


async def _stopped_by(ctx: Context, started: TimeEntry) -> TimeEntry | None:
    """What Toggl stopped to start ``started``, as Toggl recorded it (our memory may be
    stale: the person may have switched tasks in Toggl's own app). One look, after the
    start, so a refused start spends nothing on it; a failed look only loses the line."""
    try:
        recent = await ctx.api().recent_entries()
    except TogglError:
        return None
    return next((e for e in recent if e.id != started.id and e.stop == started.start), None)


async def _post_start(
    ctx: Context, cmd: c.Start, project: Project | None, started: datetime
) -> SavedEntry:
    account = ctx.require_account()
    api = ctx.api()
    try:
        return await api.start_entry(
            project.workspace_id if project else account.workspace_id,
            cmd.description,
            start=started,
            project_id=project.id if project else None,
            tags=cmd.tags,
            billable=cmd.billable,
        )
    except TogglUnavailable as exc:
        if not exc.maybe_applied:
            raise
        # The POST may have landed: look before anyone presses start again.
        current = await api.current_entry()
        if (
            current is not None
            and current.description == cmd.description
            and abs(current.start - started) <= RECONCILE_WINDOW
        ):
            return SavedEntry(current)
        raise


async def resolve_project(ctx: Context, catalog: Catalog, name: str) -> Project:
    try:
        return _pick_project(catalog, name)
    except LookupFailed:
        if ctx.now - catalog.fetched_at < MISS_REFRESH_AFTER:
            raise
    return _pick_project(await ctx.reload_catalogs(), name)


def _pick_project(catalog: Catalog, name: str) -> Project:
    active = [p for p in catalog.projects if p.active]
    try:
        return match(name, active, lambda p: p.name, "project")
    except LookupFailed:
        archived = [p for p in catalog.projects if not p.active]
        if any(p.name.casefold() == name.casefold() for p in archived):
            raise LookupFailed(f"The project `{name}` is archived in Toggl.") from None
        raise


@handles(c.Stop)
async def stop(cmd: c.Stop, ctx: Context) -> Reply:
    account = ctx.require_account()
    api = ctx.api()
    known = account.running
    if known is None:
        current = await api.current_entry()
        if current is None:
            return _nothing_running(ctx)
        known = current
    note = ""
    try:
        entry = await _stop(ctx, known, cmd.at)
    except TogglRejected as exc:
        if exc.status not in (404, 409):
            raise
        # Our memory was stale: stop what really runs, if anything does.
        account.running = None
        note = f"“{title_of(known)}” had already been stopped elsewhere."
        current = await api.current_entry()
        if current is None:
            return _nothing_running(ctx, note)
        entry = await _stop(ctx, current, cmd.at)
    account.remember(entry)
    details = entry_details(entry, await ctx.cached_catalog(entry.workspace_id))
    return Reply(
        # Toggl's answer has the stop it recorded: the duration is Toggl's, not ours.
        title=f"Stopped “{title_of(entry)}” after {duration(entry.duration(ctx.now))}",
        lines=tuple(x for x in (details, note) if x),
        buttons=(CONTINUE,),
        tone=Tone.SUCCESS,
    )


async def _stop(ctx: Context, running: TimeEntry, at: When | None) -> TimeEntry:
    """One request: PATCH …/stop now, or a PUT with the stop time people said."""
    api = ctx.api()
    if at is None:
        return await api.stop_entry(running.workspace_id, running.id)
    now = ctx.now.replace(microsecond=0)
    stop = at.instant(now, ctx.tz).astimezone(UTC)
    if stop > now:
        raise UsageError(f"{at.said().capitalize()} is still to come: say when you stopped.",
                         "stop")
    if stop <= running.start:
        raise UsageError(f"“{title_of(running)}” started at "
                         f"{clock_time(running.start, ctx.tz)}: stop after that.", "stop")
    changes = EntryChanges(start=running.start, stop=stop)
    return (await api.update_entry(running.workspace_id, running.id, changes)).entry


def _nothing_running(ctx: Context, why: str = "") -> Reply:
    account = ctx.require_account()
    lines: tuple[str, ...] = (why,) if why else ()
    if account.last is not None:
        lines += (f"Last: “{title_of(account.last)}”.",)
    return Reply(
        title="No timer is running",
        lines=lines,
        buttons=(CONTINUE,) if account.last is not None else (),
    )


@handles(c.Current)
async def current(cmd: c.Current, ctx: Context) -> Reply:
    account = ctx.require_account()
    entry = await ctx.api().current_entry()
    if entry is None:
        account.running = None
        account.note_quotas(ctx.api().quotas)
        idle = _nothing_running(ctx)
        brief = quota_brief(account)
        return replace(idle, lines=(*idle.lines, brief)) if brief else idle
    account.remember(entry)
    account.note_quotas(ctx.api().quotas)  # the status reply shows where the quota stands
    details = entry_details(entry, await ctx.cached_catalog(entry.workspace_id))
    lines = (running_line(entry, ctx.now, ctx.tz), details, quota_brief(account))
    return Reply(title=f"“{title_of(entry)}”", lines=tuple(x for x in lines if x),
                 buttons=(STOP,))

