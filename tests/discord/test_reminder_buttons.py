"""A reminder's buttons (in a DM) act only for the person it was sent to."""

from __future__ import annotations

from datetime import timedelta

from adapters.discord.client import TogglBot
from adapters.discord.views import ActionButton, build_view
from bot.domain import TimeEntry, UserKey
from bot.emulator import TogglEmulator
from bot.remind import render
from bot.remind.model import Settings
from bot.testing.clock import DEFAULT_START
from bot.timefmt import zone
from tests.discord.fakes import ADA, BOB, click

RUNAWAY = render.running(TimeEntry(7, 1, "Deep work", DEFAULT_START - timedelta(hours=3)),
                         Settings(), DEFAULT_START, zone("Europe/Berlin"))


def stop_button() -> ActionButton:
    view = build_view(RUNAWAY, ADA)
    assert view is not None
    [stop] = [b for b in view.children if isinstance(b, ActionButton) and b.command == "stop"]
    return stop


async def test_someone_else_clicking_changes_nothing(
    discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
) -> None:
    refused = await click(discord_bot, stop_button(), user=BOB)
    assert refused.only.ephemeral and refused.only.embed is not None
    assert refused.only.embed.title == "This is not your entry"
    assert fake_toggl.count() == 0


async def test_its_owner_clicking_stops_their_timer(
    discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
) -> None:
    await click(discord_bot, stop_button(), user=ADA)
    assert fake_toggl.count() >= 1  # asked Toggl for the running entry to stop
