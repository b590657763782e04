"""Reminders leave as private messages: Slack's app DM and a Discord DM, through the fakes,
with buttons bound to the person they were sent to."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from pydantic import SecretStr

from adapters.worker import DiscordSender, PlatformSender
from bot.domain import TimeEntry, UserKey
from bot.remind import render
from bot.remind.model import Settings
from bot.testing.clock import DEFAULT_START
from bot.timefmt import zone
from tests.digest.fake_platforms import FakeDiscordApi, FakeSlackApi
from tests.digest.test_worker import discord_api, slack_api, slack_sender

__all__ = ["discord_api", "slack_api"]

NOW = DEFAULT_START
ENTRY = TimeEntry(7, 1, "Deep work", NOW - timedelta(hours=3, minutes=5))
RUNAWAY = render.running(ENTRY, Settings(), NOW, zone("Europe/Berlin"))


async def test_slack_sends_a_dm_from_the_app_with_buttons_only_its_owner_can_use(
    slack_api: FakeSlackApi,
) -> None:
    sender = PlatformSender(slack_sender(slack_api))
    await sender.remind(UserKey("slack", "T1", "U7"), RUNAWAY)
    [dm] = slack_api.of("chat.postMessage")
    assert dm.token == "xoxb-team-one" and dm.payload["channel"] == "U7"  # the Messages tab
    blocks = json.loads(dm.payload["blocks"]) if isinstance(dm.payload["blocks"], str) \
        else dm.payload["blocks"]
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions["elements"]] == [
        "run-0.U7", "run-1.U7", "run-2.U7", "run-3.U7"]
    assert actions["elements"][0]["value"] == "stop"


async def test_discord_sends_a_dm_whose_buttons_carry_their_owner(
    discord_api: FakeDiscordApi,
) -> None:
    sender = DiscordSender(SecretStr("discord-bot-token"))
    try:
        await sender.remind(UserKey("discord", "discord", "777"), RUNAWAY)
    finally:
        await sender.aclose()
    [opened] = [s for s in discord_api.seen if s.name == "POST /users/@me/channels"]
    assert json.loads(opened.body)["recipient_id"] == 777
    [dm] = [s for s in discord_api.seen if s.name == "POST /channels/555/messages"]
    body = json.loads(dm.body)
    ids = [c["custom_id"] for row in body["components"] for c in row["components"]]
    assert ids[0] == "toggl:777:run:stop"
    assert all(i.startswith("toggl:777:run:") for i in ids)


def test_every_button_fits_discords_custom_id() -> None:
    """Commands ride in the custom_id for as long as the DM lives: none may be too long."""
    tz = zone("Europe/Berlin")
    day = NOW.astimezone(tz).date()
    recap = render.recap([], Settings(), day, datetime(2026, 11, 24, 17, tzinfo=UTC), tz)
    idle = render.idle(ENTRY, NOW, NOW, tz)
    for reply in (RUNAWAY, recap, idle, render.relogin()):
        for button in reply.buttons:
            assert len(f"toggl:{'9' * 20}:run:{button.command}") <= 100, button
