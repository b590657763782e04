"""entries (a list with short ids) and add (a finished entry): one Toggl call each."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.context import Context
from bot.domain import Catalog, ListedEntry, Project, TimeEntry
from bot.grammar.declare import handles
from bot.handlers.entry_refs import note, short_ids, shown_id
from bot.handlers.timer import resolve_project
from bot.mention import mention
from bot.present import entry_details, new_tags_note, project_label, title_of
from bot.replies import Reply, Tone
from bot.timefmt import clock_time, day_label, duration, period_bounds

MAX_LISTED = 50


@handles(c.ListEntries)
async def entries(cmd: c.ListEntries, ctx: Context) -> Reply:
    start, end, title = period_bounds(cmd.period, ctx.now, ctx.tz)
    listed = sorted(await ctx.api().entries(start, end, ctx.scope()),
                    key=lambda row: row.entry.start)
    if not listed:
        return Reply(title=f"Entries · {title}", lines=("Nothing tracked then.",))
    # Short ids are unique among all the entries; only the rows shown are named and
    # formatted (a year is ~1,000 rows, formatting them all cost ~40 ms).
    shorts = short_ids(row.entry.id for row in listed)
    page = listed[:MAX_LISTED]
    if any(row.tag_ids or (row.entry.project_id and not row.project_name) for row in page):
        page = named(page, await ctx.cached_catalog())
    several_days = (end - start) > timedelta(days=1)
    shown = [
        _line(row.entry, shown_id(row.entry, shorts[row.entry.id], ctx.now),
              _filed(row.entry, row), ctx, with_day=several_days)
        for row in page
    ]
    if len(listed) > MAX_LISTED:
        shown.append(f"…and {len(listed) - MAX_LISTED} more; ask for a shorter period.")
    shown.append(f"Change one with `{mention('edit 4821 New description')}`, remove it "
                 f"with `{mention('delete 4821')}` (with the id shown).")
    return Reply(title=f"Entries · {title} ({len(listed)})", lines=tuple(shown))


def named(listed: list[ListedEntry], catalog: Catalog | None) -> list[ListedEntry]:
    """Names from our cache where Toggl's answer had ids only (its reports do)."""
    if catalog is None:
        return listed
    tags = {t.id: t.name for t in catalog.tags}
    found = []
    for row in listed:
        project = catalog.project(row.entry.project_id)
        client = catalog.client(project.client_id) if project else None
        entry = replace(row.entry, tags=row.entry.tags or tuple(
            tags[t] for t in row.tag_ids if t in tags))
        found.append(replace(row, entry=entry,
                             project_name=row.project_name or (project.name if project else None),
                             client_name=row.client_name or (client.name if client else None)))
    return found


def _filed(entry: TimeEntry, row: ListedEntry) -> str:
    """Project · client #tags $, from the names Toggl sent along."""
    parts = []
    if entry.project_id is not None:
        parts.append(project_label(row.project_name or "(a project)", row.client_name))
    parts += [f"#{t}" for t in entry.tags]
    if entry.billable:
        parts.append("$")
    return "  ".join(parts)


def _line(entry: TimeEntry, short: str, filed: str, ctx: Context, *, with_day: bool) -> str:
    tz = ctx.tz
    day = f"{day_label(entry.start.astimezone(tz).date())} " if with_day else ""
    end = clock_time(entry.stop, tz) if entry.stop is not None else "now"
    spent = duration(entry.duration(ctx.now))
    text = f"`{short}` {day}{clock_time(entry.start, tz)}–{end} ({spent}) {title_of(entry)}"
    if entry.stop is not None and entry.stop > ctx.now:
        text += " (ends in the future)"
    return f"{text} · {filed}" if filed else text


@handles(c.AddEntry)
async def add(cmd: c.AddEntry, ctx: Context) -> Reply:
    account = ctx.require_account()
    tz = ctx.tz
    start, stop = _span(cmd, ctx)
    project: Project | None = None
    catalog: Catalog | None = None
    if cmd.project:
        catalog = await ctx.catalog()
        project = await resolve_project(ctx, catalog, cmd.project)
    wid = project.workspace_id if project else account.workspace_id
    new_tags = new_tags_note(cmd.tags, catalog or await ctx.cached_catalog(wid))
    saved = await ctx.api().add_entry(
        wid, cmd.description, start=start, stop=stop,
        project_id=project.id if project else None, tags=cmd.tags, billable=cmd.billable,
    )
    note(account, saved.entry)
    catalog = await ctx.learn_tags(saved.tags) or catalog
    return Reply(
        title=f"Added “{title_of(saved.entry)}”",
        lines=tuple(x for x in (span(saved.entry, tz, ctx.now),
                                entry_details(saved.entry, catalog), new_tags,
                                _future(stop, ctx)) if x),
        tone=Tone.SUCCESS if stop <= ctx.now else Tone.WARNING,
    )


def _future(stop: datetime, ctx: Context) -> str:
    """Flag an entry that ends after now: Toggl keeps it, but it may be a typo."""
    if stop <= ctx.now:
        return ""
    return (f"Note: it ends in the future ({day_label(stop.astimezone(ctx.tz).date())} "
            f"{clock_time(stop, ctx.tz)}); `{mention('edit last stop 17:00')}` changes it, "
            f"`{mention('start')}` times what you're doing now.")


def _span(cmd: c.AddEntry, ctx: Context) -> tuple[datetime, datetime]:
    """The entry's instants. A duration runs from its start, or up to now without one; a
    stop at or before the start is the next morning, and without a day a span across
    midnight that hasn't ended yet means last night."""
    tz = ctx.tz
    day = cmd.day or (ctx.now.astimezone(tz).date() - timedelta(days=cmd.days_ago))
    if cmd.duration is not None:
        if cmd.start is None:
            stop = ctx.now.replace(microsecond=0)
            return stop - cmd.duration, stop
        start = datetime.combine(day, cmd.start, tz).astimezone(UTC)
        return start, start + cmd.duration  # elapsed time: right across a DST change
    assert cmd.start is not None and cmd.stop is not None  # the declaration's check
    start, stop = _instants(day, cmd.start, cmd.stop, tz)
    overnight = cmd.stop <= cmd.start
    if overnight and stop > ctx.now and cmd.day is None and cmd.days_ago == 0:
        earlier = _instants(day - timedelta(days=1), cmd.start, cmd.stop, tz)
        if earlier[1] <= ctx.now:
            return earlier
    return start, stop


def _instants(day: date, begin: time, end: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, begin, tz).astimezone(UTC)  # compare instants
    stop = datetime.combine(day, end, tz).astimezone(UTC)
    if stop <= start:  # 23:00-01:00 ends the next morning
        stop = datetime.combine(day + timedelta(days=1), end, tz).astimezone(UTC)
    return start, stop


def span(entry: TimeEntry, tz: ZoneInfo, now: datetime) -> str:
    """When an entry ran, e.g. ``Tue 24 Nov 14:00-15:30 (1h 30m) · id 4821``."""
    end = clock_time(entry.stop, tz) if entry.stop is not None else "now"
    day = day_label(entry.start.astimezone(tz).date())
    return f"{day} {clock_time(entry.start, tz)}–{end} ({duration(entry.duration(now))})" \
        f" · id `{entry.id}`"



