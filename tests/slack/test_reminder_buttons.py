"""A reminder's buttons (in the app's DM) act only for the person it was sent to."""

from __future__ import annotations

from datetime import timedelta

from adapters.slack.blocks import message
from bot.domain import TimeEntry
from bot.emulator import TogglEmulator
from bot.remind import render
from bot.remind.model import Settings
from bot.testing.clock import DEFAULT_START
from bot.timefmt import zone
from tests.slack.slack_side import SlackSide, button, text_of

RUNAWAY = render.running(TimeEntry(7, 1, "Deep work", DEFAULT_START - timedelta(hours=3)),
                         Settings(), DEFAULT_START, zone("Europe/Berlin"))


async def test_someone_else_clicking_is_refused_and_nothing_runs(
    ada: SlackSide, fake_toggl: TogglEmulator
) -> None:
    stop = button(message(RUNAWAY, owner="U1")["blocks"], "Stop now")
    await ada.click(stop, user="U2", ephemeral=False)
    [answer] = await ada.fake.wait_for("respond")
    assert "This button is not yours" in text_of(answer.payload["blocks"])
    assert answer.payload["replace_original"] is False
    assert answer.payload["response_type"] == "ephemeral"
    assert fake_toggl.count() == 0


async def test_its_owner_clicking_runs_the_command(
    ada: SlackSide, fake_toggl: TogglEmulator
) -> None:
    keep = button(message(RUNAWAY, owner="U1")["blocks"], "Keep going")
    await ada.click(keep, user="U1", ephemeral=False)
    [answer] = await ada.fake.wait_for("respond")
    assert "You have no reminders on." in text_of(answer.payload["blocks"])
