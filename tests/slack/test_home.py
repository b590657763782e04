"""The App Home tab: status from one overview call, buttons for the clicker, a command guide."""

from __future__ import annotations

import json

from bot.commands import DECLARATIONS
from bot.dialects.syntax import usage
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.slack.slack_side import SlackSide, button, buttons, text_of
from tests.toggl_fixtures import ADA_TOKEN


async def published_home(slack: SlackSide, count: int = 1) -> list[dict]:
    calls = await slack.fake.wait_for("views.publish", count)
    assert all(c.payload["user_id"] == "U1" for c in calls)
    return calls[-1].payload["view"]["blocks"]


class TestHome:
    async def test_a_stranger_sees_how_to_connect_and_every_command(
        self, slack: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        response = await slack.home_opened()
        assert response.status_code == 200
        blocks = await published_home(slack)
        shown = text_of(blocks)
        assert "Not connected to Toggl" in shown
        assert button(blocks, "Connect Toggl")["value"] == "login"
        for decl in DECLARATIONS:
            line = usage(decl, "slack").replace("<", "&lt;").replace(">", "&gt;")
            assert f"`{line}`" in shown
        assert "http" not in shown  # the guide is link-free
        assert fake_toggl.count() == 0

    async def test_connected_shows_the_running_entry_today_and_quota_in_one_call(
        self, ada: SlackSide, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.command("start writing")
        await ada.fake.wait_for("respond")
        clock.advance(minutes=25)
        fake_toggl.reset_log()
        await ada.home_opened()
        blocks = await published_home(ada)
        shown = text_of(blocks)
        assert "Connected as Ada Lovelace" in shown
        assert "“writing” · Running for 25" in shown
        assert "Today: 25" in shown
        assert "Toggl request" in shown
        assert [b["value"] for b in buttons(blocks)] == ["stop"]
        assert fake_toggl.count() == 1

    async def test_stop_on_home_stops_for_the_clicker_and_refreshes(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        await ada.command("start writing")
        await ada.fake.wait_for("respond")
        await ada.home_opened()
        stop = button(await published_home(ada), "Stop")
        await ada.click(stop, home=True)
        blocks = await published_home(ada, 2)
        assert "Stopped “writing”" in text_of(blocks)
        assert "No timer is running." in text_of(blocks)
        assert "Start a timer: `/toggl start" in text_of(blocks)
        assert [b["value"] for b in buttons(blocks)] == ["continue"]
        assert fake_toggl.running(fake_toggl.user_ids()[0]) is None
        assert ada.fake.of("respond")[1:] == []  # nothing posted into a channel

    async def test_connect_on_home_opens_the_modal_and_refreshes_home_after(
        self, slack: SlackSide
    ) -> None:
        await slack.home_opened()
        await slack.click(button(await published_home(slack), "Connect Toggl"), home=True)
        [opened] = await slack.fake.wait_for("views.open")
        metadata = opened.payload["view"]["private_metadata"]
        assert json.loads(metadata)["home"] is True
        response = await slack.submit_token(ADA_TOKEN, metadata)
        assert response.status_code == 200
        assert "Connected as Ada Lovelace" in text_of(await published_home(slack, 2))

    async def test_reopening_home_within_a_minute_costs_nothing(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        await ada.home_opened()
        await published_home(ada)
        await ada.home_opened()
        await ada.home_opened()
        await ada.command("help")  # a later request, to be sure the events were handled
        await ada.fake.wait_for("respond")
        assert len(ada.fake.of("views.publish")) == 1
        assert fake_toggl.count() == 1

    async def test_slack_rate_limits_are_waited_out(self, ada: SlackSide) -> None:
        ada.fake.rate_limit("views.publish")
        await ada.home_opened()
        await published_home(ada)
        assert [c.status for c in ada.fake.attempts("views.publish")] == [429, 200]
