"""Sample data for `togglbot demo`: a person with clients, projects, tags and a few days."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.emulator.v9 import TogglState

_DEMO_DAYS = (
    # (local start, minutes, description, project, tags)
    (
        ("09:00", 30, "Stand-up", "Internal", ("meeting",)),
        ("09:30", 150, "Landing page redesign", "Website", ("billable", "deep-work")),
        ("13:00", 60, "Client call", "Website", ("billable", "meeting")),
        ("14:15", 120, "Literature review", "Research", ("deep-work",)),
        ("16:30", 45, "Code review", "Mobile app", ("billable",)),
    ),
    (
        ("09:00", 30, "Stand-up", "Internal", ("meeting",)),
        ("09:45", 180, "Offline sync", "Mobile app", ("billable", "deep-work")),
        ("13:30", 90, "Interview notes", "Research", ()),
        ("15:15", 75, "Checkout bug", "Website", ("billable",)),
    ),
    (
        ("08:45", 45, "Inbox and planning", "Internal", ()),
        ("09:30", 120, "Prototype experiments", "Research", ("deep-work",)),
        ("12:45", 60, "Sprint planning", "Internal", ("meeting",)),
        ("14:00", 150, "Push notifications", "Mobile app", ("billable",)),
    ),
)


def seed_demo(fake: TogglState, days: int = 4) -> str:
    """A demo account ("demo-token") with clients, projects, tags and finished entries.

    Entries fill working hours of today (up to now) and the previous working days, in the
    user's time zone; none runs.
    """
    user = fake.add_user("demo-token", "Demo User", "Europe/Berlin", workspace="Demo workspace")
    wid = user.default_workspace_id
    acme, globex = fake.add_client(wid, "Acme"), fake.add_client(wid, "Globex")
    projects = {
        "Website": fake.add_project(wid, "Website", acme.id, billable=True).id,
        "Mobile app": fake.add_project(wid, "Mobile app", acme.id, billable=True).id,
        "Research": fake.add_project(wid, "Research", globex.id).id,
        "Internal": fake.add_project(wid, "Internal").id,
    }
    for tag in ("billable", "meeting", "deep-work"):
        fake.add_tag(wid, tag)
    zone = ZoneInfo(user.timezone)
    now = fake.clock()
    day = now.astimezone(zone).date()
    seeded = 0
    while seeded < days:
        if day.weekday() < 5:
            for start_at, minutes, text, project, tags in _DEMO_DAYS[day.toordinal() % 3]:
                start = datetime.combine(day, time.fromisoformat(start_at), zone)
                stop = start + timedelta(minutes=minutes)
                if stop <= now:
                    fake.add_entry(
                        user,
                        wid,
                        text,
                        start,
                        stop,
                        projects[project],
                        tags,
                        billable="billable" in tags,
                    )
            seeded += 1
        day -= timedelta(days=1)
    return user.token
