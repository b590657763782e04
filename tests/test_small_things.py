"""Small things a new user hit (issue 16, item 11)."""

from __future__ import annotations

import logging

import pytest

from adapters.console import ConsoleBot
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock


async def test_no_archived_clients_is_not_no_clients(ada: ConsoleBot) -> None:
    reply = await ada.send("clients archived")
    assert reply.title == "Archived clients"
    assert reply.lines == ("No archived clients.",)


async def test_replacing_a_timer_says_it_was_the_previous_one(
    ada: ConsoleBot, clock: ManualClock
) -> None:
    await ada.send("start Prep")
    clock.advance(minutes=12)
    reply = await ada.send("start Meeting")
    assert "Stopped your previous timer “Prep” (12m)." in reply.lines


class TestNewTags:
    async def test_a_tag_toggl_creates_is_announced_once(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("start Fix bug #123 #meeting")
        assert "New tag #123: Toggl created it just now." in reply.lines
        assert not any("#meeting:" in line for line in reply.lines)
        await ada.send("stop")
        again = await ada.send("start Fix more #123")
        assert not any(line.startswith("New tag") for line in again.lines)
        assert fake_toggl.count("POST") == 2  # no extra call to learn the tag

    async def test_add_edit_and_tag_say_so_too(self, ada: ConsoleBot) -> None:
        added = await ada.send("add Review 09:00-10:00 #reveiw")
        assert "New tag #reveiw: Toggl created it just now." in added.lines
        edited = await ada.send("edit last #urgent")
        assert "New tag #urgent: Toggl created it just now." in edited.lines
        tagged = await ada.send("tag today #billable")
        assert "New tag #billable: Toggl created it just now." in tagged.lines


async def test_the_login_log_line_counts_its_request(
    bot: ConsoleBot, toggl_token: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.core"):
        await bot.login(toggl_token)
    [line] = [r.getMessage() for r in caplog.records if "command=Login" in r.getMessage()]
    assert "toggl_calls=1" in line
