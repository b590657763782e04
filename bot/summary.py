"""Where the time went: totals by project and client over a period, running entry included.

Pure functions over entries, shared by the `summary` command and the channel digest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain import Catalog, ListedEntry, ProjectTime, Timesheet
from bot.present import project_label
from bot.replies import Field, Reply
from bot.timefmt import duration

MAX_ROWS = 15


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    total: timedelta
    running: bool = False


@dataclass(frozen=True, slots=True)
class Totals:
    total: timedelta
    projects: tuple[Line, ...] = ()
    clients: tuple[Line, ...] = ()
    tags: tuple[Line, ...] = ()
    entries: int = 0
    running: str | None = field(default=None)  # description of the running entry
    from_reports: bool = False  # summed by Toggl's reports: finished entries, no tags


def of_sheet(
    sheet: Timesheet, start: datetime, end: datetime, now: datetime, catalog: Catalog | None
) -> Totals:
    """Totals of a timesheet, whether itemized or summed by Toggl."""
    if sheet.itemized:
        return totals(sheet.entries, start, end, now, catalog)
    return _from_projects(sheet.projects, catalog)


def _from_projects(parts: Iterable[ProjectTime], catalog: Catalog | None) -> Totals:
    by_project: dict[str, timedelta] = defaultdict(timedelta)
    by_client: dict[str, timedelta] = defaultdict(timedelta)
    count = 0
    for part in parts:
        project = catalog.project(part.project_id) if catalog else None
        client = catalog.client(project.client_id) if catalog and project else None
        name = None if part.project_id is None else project.name if project else "(a project)"
        span = timedelta(seconds=part.seconds)
        by_project[project_label(name, client.name if client else None)] += span
        by_client[client.name if client else "(no client)"] += span
        count += part.entries
    return Totals(
        total=sum(by_project.values(), timedelta(0)),
        projects=_lines(by_project, set()),
        clients=_lines(by_client, set()),
        entries=count,
        from_reports=True,
    )


def totals(
    listed: Iterable[ListedEntry],
    start: datetime,
    end: datetime,
    now: datetime,
    catalog: Catalog | None = None,
) -> Totals:
    """Sum entries clipped to [start, end); a running entry counts up to ``now``."""
    by_project: dict[str, timedelta] = defaultdict(timedelta)
    by_client: dict[str, timedelta] = defaultdict(timedelta)
    by_tag: dict[str, timedelta] = defaultdict(timedelta)
    running_labels: set[str] = set()
    running_text: str | None = None
    total = timedelta(0)
    count = 0
    for row in listed:
        entry = row.entry
        # A finished entry counts whole (within the period) even if Toggl has it ending
        # after now, as `entries` lists it; only a running one is counted up to now.
        span = min(entry.stop or now, end) - max(entry.start, start)
        if span <= timedelta(0) and not entry.running:
            continue
        span = max(span, timedelta(0))
        project_name, client_name = _names(row, catalog)
        label = project_label(project_name, client_name)
        by_project[label] += span
        by_client[client_name or "(no client)"] += span
        for tag in entry.tags:
            by_tag[tag] += span
        if entry.running:
            running_labels.add(label)
            running_text = entry.description or "(no description)"
        total += span
        count += 1
    return Totals(
        total=total,
        projects=_lines(by_project, running_labels),
        clients=_lines(by_client, set()),
        tags=_lines(by_tag, set()),
        entries=count,
        running=running_text,
    )


def _names(row: ListedEntry, catalog: Catalog | None) -> tuple[str | None, str | None]:
    """Names Toggl sent along, else from our cache."""
    project_id = row.entry.project_id
    if row.project_name or project_id is None:
        return row.project_name, row.client_name
    project = catalog.project(project_id) if catalog else None
    if project is None:
        return "(unknown project)", None
    client = catalog.client(project.client_id) if catalog else None
    return project.name, client.name if client else None


def _lines(sums: dict[str, timedelta], running: set[str]) -> tuple[Line, ...]:
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(Line(label, span, label in running) for label, span in ordered)


def reply(title: str, result: Totals) -> Reply:
    """The summary as a Reply: total, per-project fields, client and tag lines."""
    if result.entries == 0:
        return Reply(title=title, lines=("Nothing tracked.",))
    fields = tuple(
        Field(line.label, duration(line.total) + (" (running)" if line.running else ""))
        for line in result.projects[:MAX_ROWS]
    )
    lines = [f"Total {duration(result.total)} in {_plural(result.entries, 'entry', 'entries')}"]
    named_clients = [c for c in result.clients if c.label != "(no client)"]
    if named_clients:
        lines.append(
            "By client: " + ", ".join(f"{c.label} {duration(c.total)}" for c in named_clients)
        )
    if result.tags:
        lines.append(
            "By tag: " + ", ".join(f"#{t.label} {duration(t.total)}" for t in result.tags[:8])
        )
    if len(result.projects) > MAX_ROWS:
        lines.append(f"…and {len(result.projects) - MAX_ROWS} more projects.")
    if result.from_reports:
        lines.append("Summed by Toggl's reports: finished entries, without tags.")
    return Reply(title=title, lines=tuple(lines), fields=fields)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
