"""Connecting Toggl through a modal: the token never goes through a channel or back out."""

from __future__ import annotations

import json

import pytest

from adapters.slack.listeners import views as view_listeners
from adapters.slack.views import LOGIN_CALLBACK, TOKEN_BLOCK
from bot.emulator import TogglEmulator
from tests.slack.slack_side import SlackSide, button, text_of
from tests.toggl_fixtures import ADA_TOKEN

WRONG_TOKEN = "0123456789abcdef0123456789abcdef"  # well formed, unknown to the fake


async def open_modal(slack: SlackSide) -> tuple[dict, str]:
    body, hook = slack.command_body("login", trigger_id="trigger-login")
    response = await slack.post(body)
    assert response.status_code == 200
    [opened] = await slack.fake.wait_for("views.open")
    return opened.payload, hook


class TestModal:
    async def test_login_without_a_token_opens_the_modal(self, slack: SlackSide) -> None:
        opened, hook = await open_modal(slack)
        assert opened["trigger_id"] == "trigger-login"
        view = opened["view"]
        assert view["callback_id"] == LOGIN_CALLBACK
        assert any(b.get("block_id") == TOKEN_BLOCK for b in view["blocks"])
        assert json.loads(view["private_metadata"])["response_url"].endswith(hook)
        assert slack.fake.of("respond") == []  # nothing said in the channel

    async def test_a_good_token_connects_and_is_confirmed_where_login_was_typed(
        self, slack: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        opened, hook = await open_modal(slack)
        response = await slack.submit_token(ADA_TOKEN, opened["view"]["private_metadata"])
        assert response.status_code == 200 and response.text == ""  # closes the modal
        [confirmed] = await slack.fake.wait_for("respond")
        assert confirmed.path == hook
        assert confirmed.payload["text"] == "Connected as Ada Lovelace"
        assert fake_toggl.count("GET", "/me") == 1
        assert ADA_TOKEN not in slack.fake.transcript()

        await slack.command("current")
        [_, current] = await slack.fake.wait_for("respond", 2)
        assert current.payload["text"] == "No timer is running"

    async def test_a_rejected_token_is_shown_inline_and_not_stored(
        self, slack: SlackSide
    ) -> None:
        opened, _ = await open_modal(slack)
        response = await slack.submit_token(WRONG_TOKEN, opened["view"]["private_metadata"])
        assert response.status_code == 200
        answer = response.json()
        assert answer["response_action"] == "errors"
        assert answer["errors"] == {TOKEN_BLOCK: "Toggl didn't accept that token."}
        assert WRONG_TOKEN not in response.text
        assert slack.fake.of("respond") == []

        await slack.command("stop")
        [stop] = await slack.fake.wait_for("respond")
        assert "not connected" in stop.payload["text"]
        assert WRONG_TOKEN not in slack.fake.transcript()

    async def test_a_slow_toggl_updates_the_modal_when_it_answers(
        self, slack: SlackSide, fake_toggl: TogglEmulator, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(view_listeners, "ACK_BUDGET", 0.05)
        fake_toggl.inject(None, path="/me", delay=0.3)
        opened, _ = await open_modal(slack)
        response = await slack.submit_token(ADA_TOKEN, opened["view"]["private_metadata"])
        answer = response.json()
        assert answer["response_action"] == "update"
        assert "Checking your token" in text_of(answer["view"]["blocks"])
        [updated] = await slack.fake.wait_for("views.update")
        assert updated.payload["view_id"] == "VMODAL"
        assert "Connected as Ada Lovelace" in text_of(updated.payload["view"]["blocks"])
        await slack.fake.wait_for("respond")  # and confirmed in the channel

    async def test_when_the_modal_cannot_open_a_connect_button_is_offered(
        self, slack: SlackSide
    ) -> None:
        slack.fake.fail("views.open", "expired_trigger_id")
        await slack.command("login")
        [answer] = await slack.fake.wait_for("respond")
        assert button(answer.payload["blocks"], "Connect Toggl")["value"] == "login"


async def test_not_connected_offers_the_private_form_in_slacks_words(slack: SlackSide) -> None:
    await slack.command("stop")
    [answer] = await slack.fake.wait_for("respond")
    assert answer.payload["text"] == "You're not connected to Toggl yet."
    assert "`/toggl login`" in text_of(answer.payload["blocks"])
    connect = button(answer.payload["blocks"], "Connect Toggl")
    await slack.click(connect)
    [opened] = await slack.fake.wait_for("views.open")
    assert opened.payload["view"]["callback_id"] == LOGIN_CALLBACK
