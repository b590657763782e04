"""The emulator's Reports API v3: the Detailed search and the Summary by project.

Like Toggl: dates are local days in the person's time zone, both ends included, a year at
most; a workspace's report shows the users asked for; running entries are not reported;
the Detailed report pages by the ``X-Next-ID`` / ``X-Next-Row-Number`` headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.emulator.model import FakeEntry, FakeUser, Json, Refusal, _fmt, _object
from bot.emulator.v9 import TogglState

MAX_DAYS = 366
PAGE_SIZE = 50  # the Detailed report's default and largest page


@dataclass(frozen=True, slots=True)
class Answer:
    """JSON with headers of its own (the Detailed report's paging)."""

    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def search(state: TogglState, user: FakeUser, wid: int, body: Any) -> Answer:
    body = _object(body)
    found = _finished(state, user, wid, body)
    size = _int(body, "page_size", PAGE_SIZE)
    if not 1 <= size <= PAGE_SIZE:
        raise Refusal(400, f"page_size must be between 1 and {PAGE_SIZE}")
    first = _int(body, "first_row_number", 1)
    page = found[first - 1 : first - 1 + size]
    rows = [_row(state, e, first + n) for n, e in enumerate(page)]
    headers: dict[str, str] = {}
    if first - 1 + size < len(found):
        following = found[first - 1 + size]
        headers = {"X-Next-ID": str(following.id), "X-Next-Row-Number": str(first + size)}
    return Answer(rows, headers)


def summary(state: TogglState, user: FakeUser, wid: int, body: Any) -> Json:
    body = _object(body)
    if body.get("grouping", "projects") != "projects":
        raise Refusal(400, "the emulator groups summaries by projects only")
    groups: dict[int | None, dict[str, list[FakeEntry]]] = {}
    for entry in _finished(state, user, wid, body):
        groups.setdefault(entry.project_id, {}).setdefault(entry.description, []).append(entry)
    return {"groups": [
        {"id": pid, "sub_groups": [
            {"id": None, "title": title, "seconds": sum(e.duration for e in entries),
             "ids": [e.id for e in entries] if body.get("include_time_entry_ids") else None}
            for title, entries in subs.items()
        ]}
        for pid, subs in groups.items()
    ]}


def _finished(state: TogglState, user: FakeUser, wid: int, body: Json) -> list[FakeEntry]:
    first, last = _day(body, "start_date"), _day(body, "end_date")
    if last < first:
        raise Refusal(400, "End date should be greater than Start date")
    if (last - first).days >= MAX_DAYS:
        raise Refusal(400, "The maximum date range is one year")
    users = body.get("user_ids") or list(state.workspace(wid).members)
    zone = ZoneInfo(user.timezone)
    low = datetime.combine(first, time(), zone)
    high = datetime.combine(last + timedelta(days=1), time(), zone)
    found = [
        e for uid in users if isinstance(uid, int) for e in state.entries(uid)
        if e.workspace_id == wid and not e.running and low <= e.start < high
    ]
    return sorted(found, key=lambda e: (e.start, e.id))


def _row(state: TogglState, entry: FakeEntry, number: int) -> Json:
    return {
        "user_id": entry.user_id, "project_id": entry.project_id, "task_id": None,
        "description": entry.description, "billable": entry.billable,
        "tag_ids": list(entry.tag_ids), "row_number": number,
        "time_entries": [{"id": entry.id, "seconds": entry.duration, "start": _fmt(entry.start),
                          "stop": _fmt(entry.stop) if entry.stop else None,
                          "at": _fmt(entry.at)}],
    }


def _day(body: Json, name: str) -> date:
    try:
        return date.fromisoformat(str(body[name]))
    except (KeyError, ValueError):
        raise Refusal(400, f"{name}: a date (YYYY-MM-DD) is required") from None


def _int(body: Json, name: str, default: int) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refusal(400, f"{name} must be an integer")
    return value
