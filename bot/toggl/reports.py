"""Toggl's Reports API v3, for ranges ``GET /me/time_entries`` no longer serves.

Toggl's staff say ``/me/time_entries`` fails past about three months and point to the
Reports API. Reports count dates in the person's Toggl time zone, are per workspace, and
are filtered to the person's own user id (a workspace admin would see everyone's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import ListedEntry, ProjectTime, Scope
from bot.toggl import parse

ME_ENTRIES_REACH = timedelta(days=60)  # well inside Toggl's ~3 months, whatever the day
REPORT_DAYS = 366  # one report covers at most a year
PAGE_SIZE = 50  # the Detailed report's documented page size

Call = Callable[..., Awaitable[Any]]


def served_by_me(start: datetime, now: datetime) -> bool:
    """True when ``/me/time_entries`` still serves a range starting at ``start``."""
    return start >= now - ME_ENTRIES_REACH


async def search(call: Call, start: datetime, end: datetime, scope: Scope) -> list[ListedEntry]:
    """Entries started in [start, end): one request per page of ``PAGE_SIZE`` (and per year)."""
    found: list[ListedEntry] = []
    path = f"/workspace/{scope.workspace_id}/search/time_entries"
    for first, last in _years(start, end, scope.timezone):
        body: dict[str, Any] = {
            **parse.report_range(first, last, scope.user_id),
            "page_size": PAGE_SIZE, "order_by": "date", "order_dir": "asc",
        }
        while True:
            headers: dict[str, str] = {}
            data = await call("POST", path, json=body, api="reports", headers_out=headers)
            found += parse.report_rows(data, scope.workspace_id)
            following = parse.next_page(headers)
            if following is None:
                break
            body = {**body, **following}
    return [row for row in found if start <= row.entry.start < end]


async def summary(
    call: Call, start: datetime, end: datetime, scope: Scope
) -> tuple[ProjectTime, ...]:
    """Time per project, summed by Toggl: one request per year of the range."""
    seconds: dict[int | None, int] = defaultdict(int)
    counts: dict[int | None, int] = defaultdict(int)
    path = f"/workspace/{scope.workspace_id}/summary/time_entries"
    for first, last in _years(start, end, scope.timezone):
        body = {**parse.report_range(first, last, scope.user_id), **parse.SUMMARY_BY_PROJECT}
        for part in parse.project_times(await call("POST", path, json=body, api="reports")):
            seconds[part.project_id] += part.seconds
            counts[part.project_id] += part.entries
    return tuple(ProjectTime(pid, seconds[pid], counts[pid]) for pid in seconds)


def _years(start: datetime, end: datetime, timezone: str) -> Iterator[tuple[date, date]]:
    """The range as local dates (both ends included), cut into spans of at most a year."""
    tz = ZoneInfo(timezone)
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    while first <= last:
        upto = min(last, first + timedelta(days=REPORT_DAYS - 1))
        yield first, upto
        first = upto + timedelta(days=1)
