"""Users on the fake Toggl with a little history, so summaries have something to add up."""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import FakeUser, TogglEmulator

PROJECTS = (("Website", "Acme"), ("Mobile app", "Acme"), ("Research", "Globex"))
TAGS = ("billable", "meeting", "deep-work")


def seed_user(fake: TogglEmulator, token: str, days: int = 3, per_day: int = 4) -> FakeUser:
    """A user (Europe/Berlin) with clients, projects, tags and finished entries."""
    user = fake.add_user(token, f"Bench {token}", "Europe/Berlin")
    wid = user.default_workspace_id
    clients = {name: fake.add_client(wid, name).id for name in {c for _, c in PROJECTS}}
    projects = [fake.add_project(wid, p, clients[c]).id for p, c in PROJECTS]
    for tag in TAGS:
        fake.add_tag(wid, tag)
    now = fake.clock()
    for day in range(days):
        for k in range(per_day):
            start = now - timedelta(days=day, hours=1 + 1.5 * (k + 1))
            fake.add_entry(
                user,
                wid,
                f"Seeded task {k}",
                start,
                start + timedelta(hours=1),
                projects[k % len(projects)],
                (TAGS[k % len(TAGS)],),
            )
    return user
