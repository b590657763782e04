"""Buttons act for the person who clicks them, never for whoever the message was for."""

from __future__ import annotations

from bot.emulator import TogglEmulator
from tests.slack.conftest import connect
from tests.slack.slack_side import SlackSide, button, text_of
from tests.toggl_fixtures import ADA_TOKEN


def toggl_id(fake_toggl: TogglEmulator, name: str) -> int:
    return next(uid for uid in fake_toggl.user_ids() if fake_toggl.user(uid).fullname == name)


async def ada_started(slack: SlackSide) -> dict:
    await slack.command("start Ada's meeting")
    [answer] = await slack.fake.wait_for("respond")
    return button(answer.payload["blocks"], "Stop")


class TestSomeoneElseClicks:
    async def test_a_stranger_clicking_stop_is_asked_to_connect(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        stop = await ada_started(ada)
        await ada.click(stop, user="U2", ephemeral=False)
        [_, answer] = await ada.fake.wait_for("respond", 2)
        assert "not connected" in answer.payload["text"]
        assert answer.payload["replace_original"] is False  # Ada's message stays as it was
        assert answer.payload["response_type"] == "ephemeral"
        assert fake_toggl.running(toggl_id(fake_toggl, "Ada Lovelace")) is not None

    async def test_bob_clicking_stop_stops_his_own_timer_not_adas(
        self, slack: SlackSide, fake_toggl: TogglEmulator, bob_token: str
    ) -> None:
        await connect(slack, ADA_TOKEN, user="U1")
        await connect(slack, bob_token, user="U2")
        ada, bob = toggl_id(fake_toggl, "Ada Lovelace"), toggl_id(fake_toggl, "Bob Builder")
        stop = await ada_started(slack)

        await slack.click(stop, user="U2", ephemeral=False)
        [_, nothing] = await slack.fake.wait_for("respond", 2)
        assert "No timer is running" in nothing.payload["text"]
        assert fake_toggl.running(ada) is not None

        await slack.command("start Bob's build", user="U2")
        await slack.fake.wait_for("respond", 3)
        await slack.click(stop, user="U2", ephemeral=False)
        [*_, stopped] = await slack.fake.wait_for("respond", 4)
        assert "Stopped “Bob's build”" in text_of(stopped.payload["blocks"])
        assert fake_toggl.running(bob) is None
        running = fake_toggl.running(ada)
        assert running is not None and running.description == "Ada's meeting"

    async def test_double_click_stops_once(self, ada: SlackSide, fake_toggl: TogglEmulator) -> None:
        stop = await ada_started(ada)
        fake_toggl.reset_log()
        await ada.click(stop)
        await ada.click(stop)
        [_, first, second] = await ada.fake.wait_for("respond", 3)
        titles = sorted([first.payload["text"], second.payload["text"]])
        assert titles[0] == "No timer is running" and titles[1].startswith("Stopped")
        assert fake_toggl.count("PATCH") == 1


class TestAnotherWorkspace:
    async def test_the_same_user_id_in_another_workspace_is_someone_else(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        stop = await ada_started(ada)
        await ada.click(stop, user="U1", team="T2", ephemeral=False)
        [_, answer] = await ada.fake.wait_for("respond", 2)
        assert "not connected" in answer.payload["text"]
        assert fake_toggl.running(toggl_id(fake_toggl, "Ada Lovelace")) is not None
        await ada.command("stop", user="U1", team="T2")
        [*_, typed] = await ada.fake.wait_for("respond", 3)
        assert "not connected" in typed.payload["text"]
        assert fake_toggl.running(toggl_id(fake_toggl, "Ada Lovelace")) is not None
