"""How entries and quota read in a reply; shared by every handler and the digest."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import Account, Catalog, Quota, QuotaBucket, TimeEntry
from bot.replies import Button
from bot.timefmt import clock_time, duration

STOP = Button("Stop", "stop", "danger")
CONTINUE = Button("Continue", "continue", "primary")
LOW_QUOTA = 5


def title_of(entry: TimeEntry) -> str:
    return entry.description or "(no description)"


def project_label(project_name: str | None, client_name: str | None) -> str:
    if not project_name:
        return "(no project)"
    return f"{project_name} · {client_name}" if client_name else project_name


def entry_details(entry: TimeEntry, catalog: Catalog | None) -> str:
    """``Website · Acme  #meeting  $`` — what an entry is filed under."""
    parts = []
    project = catalog.project(entry.project_id) if catalog else None
    if project is not None:
        client = catalog.client(project.client_id) if catalog else None
        parts.append(project_label(project.name, client.name if client else None))
    elif entry.project_id is not None:
        parts.append("(a project not in your list)")
    parts += [f"#{t}" for t in entry.tags]
    if entry.billable:
        parts.append("$")
    return "  ".join(parts)


def running_line(entry: TimeEntry, now: datetime, tz: ZoneInfo) -> str:
    return f"Running for {duration(entry.duration(now))} (since {clock_time(entry.start, tz)})"


QUOTA_NAMES: dict[QuotaBucket, str] = {
    "workspace": "Workspace (start, stop, clients, projects)",
    "me": "Personal (current, summaries, login)",
}


def quota_sentence(quota: Quota, now: datetime, tz: ZoneInfo) -> str:
    """'21 left this hour; the count resets at 14:35 (in 18m).'"""
    if quota.remaining is None or (quota.resets_at is not None and quota.resets_at <= now):
        return "not reported yet (Toggl says with each answer)" if quota.remaining is None \
            else "back to full"
    left = f"{quota.remaining} left this hour"
    if quota.resets_at is None:
        return left
    return f"{left}; the count resets at {clock_time(quota.resets_at, tz)} " \
        f"(in {duration(quota.resets_at - now)})"


def quota_lines(account: Account, now: datetime, tz: ZoneInfo) -> tuple[str, ...]:
    """One line per Toggl quota: each is 30 an hour on a Free plan."""
    return tuple(
        f"{QUOTA_NAMES[bucket]}: {quota_sentence(quota, now, tz)}."
        for bucket, quota in account.quotas().items()
    )


def quota_brief(account: Account) -> str:
    """'Toggl requests left this hour: 29 workspace, 28 personal', or '' when unknown."""
    parts = [
        f"{quota.remaining} {'personal' if bucket == 'me' else bucket}"
        for bucket, quota in account.quotas().items()
        if quota.remaining is not None
    ]
    return f"Toggl requests left this hour: {', '.join(parts)}" if parts else ""


def quota_footer(account: Account, now: datetime, tz: ZoneInfo) -> str:
    """A warning line when either quota runs low, else nothing."""
    for bucket, quota in account.quotas().items():
        low = quota.remaining is not None and quota.remaining < LOW_QUOTA
        if low and quota.resets_at is not None and quota.resets_at > now:
            return f"⚠ Toggl requests, {QUOTA_NAMES[bucket].split(' ')[0].lower()}: " \
                f"{quota_sentence(quota, now, tz)}."
    return ""


def new_tags_note(asked: Iterable[str], catalog: Catalog | None) -> str:
    """Toggl creates any tag it hasn't seen: say so, so a typo doesn't pass unnoticed."""
    if catalog is None:
        return ""
    known = {t.name.casefold() for t in catalog.tags}
    new = [f"#{t}" for t in dict.fromkeys(asked) if t.casefold() not in known]
    if not new:
        return ""
    return f"New tag{'s' if len(new) > 1 else ''} {', '.join(new)}: Toggl created " \
        f"{'them' if len(new) > 1 else 'it'} just now."
