"""The quota ledger, and three different answers when Toggl says no."""

from __future__ import annotations

import pytest

from adapters.console import ConsoleBot
from bot.emulator import TogglEmulator
from bot.replies import Tone
from bot.testing.clock import ManualClock


class TestLedger:
    async def test_quota_command_reads_both_quotas_without_a_call(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        fake_toggl.set_quota(30)
        await ada.send("start a")
        await ada.send("current")
        await ada.send("current")
        fake_toggl.reset_log()
        reply = await ada.send("quota")
        assert reply.lines == (
            "Workspace (start, stop, clients, projects): 29 left this hour; "
            "the count resets at 12:00 (in 1h 00m).",
            "Personal (current, summaries, login): 28 left this hour; "
            "the count resets at 12:00 (in 1h 00m).",
        )
        assert fake_toggl.count() == 0

    async def test_the_status_reply_shows_both_quotas(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.set_quota(30)
        await ada.send("start a")
        reply = await ada.send("current")
        assert reply.lines[-1] == "Toggl requests left this hour: 29 workspace, 29 personal"
        await ada.send("stop")
        idle = await ada.send("current")
        assert idle.lines[-1] == "Toggl requests left this hour: 28 workspace, 28 personal"

    async def test_unknown_until_toggl_says(self, ada: ConsoleBot) -> None:
        reply = await ada.send("quota")
        assert all("not reported yet" in line for line in reply.lines)

    async def test_low_quota_adds_a_footer(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.set_quota(4)
        reply = await ada.send("current")
        assert reply.footer == (
            "⚠ Toggl requests, personal: 3 left this hour; the count resets at 12:00 (in 1h 00m)."
        )

    async def test_exhausted_ledger_spends_nothing_and_says_when(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        fake_toggl.set_quota(2)
        await ada.send("start one")
        await ada.send("start two")
        fake_toggl.reset_log()
        reply = await ada.send("start blocked")
        assert reply.tone is Tone.WARNING
        assert reply.title == (
            "Your Toggl request quota for this hour is used up. It resets at 12:00."
        )
        assert fake_toggl.count() == 0
        # The personal quota is separate: reading the timer still works.
        assert (await ada.send("current")).title == "“two”"
        clock.advance(hours=1, seconds=1)
        assert (await ada.send("start free again")).tone is Tone.SUCCESS


class TestRefusals:
    async def test_402_with_quota_headers_is_the_quota(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(
            402,
            headers={"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "600"},
        )
        reply = await ada.send("current")
        assert reply.title.endswith("It resets at 11:10.")

    @pytest.mark.parametrize("resets_in", ["1e20", "inf", "-inf", "nan", "-600", "soon"])
    async def test_an_absurd_reset_time_is_ignored(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, resets_in: str
    ) -> None:
        fake_toggl.inject(
            402,
            headers={"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": resets_in},
        )
        reply = await ada.send("current")
        assert reply.title == (
            "Your Toggl request quota for this hour is used up. Try again later this hour."
        )
        assert (await ada.send("quota")).title == "Your Toggl requests this hour"

    async def test_402_without_headers_is_a_paid_feature(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(402)
        reply = await ada.send("clients")
        assert reply.title == "This needs a paid Toggl plan."

    async def test_429_is_retried_once_after_a_short_retry_after(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(429, headers={"Retry-After": "1"})
        reply = await ada.send("current")
        assert reply.title == "No timer is running"
        assert fake_toggl.count() == 2

    async def test_429_with_a_long_wait_tells_the_user(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(429, headers={"Retry-After": "30"})
        reply = await ada.send("current")
        assert reply.title == "Toggl is busy, try again in a few seconds."
        assert fake_toggl.count() == 1
