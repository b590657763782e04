"""Durations come from instants, not wall clocks: entries across a clock change."""

from __future__ import annotations

import pytest

from adapters.console import ConsoleBot
from bot.core import Core
from bot.emulator import TogglEmulator


@pytest.fixture
async def grace(core: Core, fake_toggl: TogglEmulator) -> ConsoleBot:
    """A person in New York (clocks jump forward on 2026-03-08 at 02:00)."""
    fake_toggl.add_user("grace-token", "Grace Hopper", "America/New_York")
    bot = ConsoleBot(core, user_id="U2", team_id="T1")
    await bot.login("grace-token")
    return bot


def _last(fake: TogglEmulator) -> tuple[int, int]:
    user = fake.user(fake.user_ids()[-1])
    entry = max(fake.entries(user.id), key=lambda e: e.id)
    return int((entry.stop - entry.start).total_seconds()), entry.duration  # type: ignore[operator]


class TestAddAcrossAClockChange:
    async def test_berlin_falling_back_lasts_four_hours(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("add Night shift 01:00-04:00 2026-10-25")
        assert reply.title.startswith("Added"), reply.text()
        assert "(4h 00m)" in reply.text()
        assert _last(fake_toggl) == (4 * 3600, 4 * 3600)

    async def test_new_york_springing_forward_lasts_two_hours(
        self, grace: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await grace.send("add Night shift 01:00-04:00 2026-03-08")
        assert reply.title.startswith("Added"), reply.text()
        assert "(2h 00m)" in reply.text()
        assert _last(fake_toggl) == (2 * 3600, 2 * 3600)

    async def test_editing_times_on_that_day_sends_a_consistent_duration(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        await ada.send("add Night shift 05:00-06:00 2026-10-25")
        reply = await ada.send("edit last start 01:00 stop 04:00")
        assert reply.title.startswith("Updated"), reply.text()
        assert _last(fake_toggl) == (4 * 3600, 4 * 3600)


async def test_the_emulator_refuses_an_inconsistent_duration(
    ada: ConsoleBot, fake_toggl: TogglEmulator, toggl_token: str
) -> None:
    import httpx

    wid = fake_toggl.workspace_ids()[0]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app),
                                 base_url="http://toggl.test") as http:
        answer = await http.post(
            f"/api/v9/workspaces/{wid}/time_entries", auth=(toggl_token, "api_token"),
            json={"created_with": "t", "workspace_id": wid, "start": "2026-10-24T23:00:00Z",
                  "stop": "2026-10-25T03:00:00Z", "duration": 3 * 3600},
        )
    assert answer.status_code == 400
    assert "inconsistent" in answer.text
