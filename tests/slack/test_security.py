"""Only Slack gets in: bad, missing or stale signatures are 401 and run nothing;
a redelivered request runs once."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.emulator import TogglEmulator
from tests.slack.slack_side import SlackSide

STALE = 5 * 60 + 10  # Slack's window is five minutes


async def nothing_happened(slack: SlackSide, fake_toggl: TogglEmulator) -> None:
    await asyncio.sleep(0.1)  # give a wrongly started listener the chance to show itself
    assert fake_toggl.count() == 0
    assert fake_toggl.running(fake_toggl.user_ids()[0]) is None
    assert slack.fake.calls == []


class TestSignatures:
    @pytest.mark.parametrize(
        "options",
        [
            pytest.param({"signed": False}, id="unsigned"),
            pytest.param({"secret": "someone-elses-secret"}, id="forged"),
            pytest.param({"timestamp": int(time.time()) - STALE}, id="replayed"),
        ],
    )
    async def test_command_is_rejected_and_runs_nothing(
        self, ada: SlackSide, fake_toggl: TogglEmulator, options: dict
    ) -> None:
        response, _ = await ada.command("start intruder", **options)
        assert response.status_code == 401
        await nothing_happened(ada, fake_toggl)

    async def test_a_tampered_body_is_rejected(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        body, _ = ada.command_body("help")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        from tests.slack.slack_side import signature_headers

        headers |= signature_headers(body)
        tampered = body.replace("text=help", "text=start+intruder")
        response = await ada.web.post("/slack/events", content=tampered, headers=headers)
        assert response.status_code == 401
        await nothing_happened(ada, fake_toggl)

    async def test_forged_button_click_is_rejected(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        click = {"type": "button", "action_id": "run-0", "value": "start intruder",
                 "text": {"type": "plain_text", "text": "Start"}}
        payload = {"type": "block_actions", "user": {"id": "U1", "team_id": "T1"},
                   "team": {"id": "T1"}, "trigger_id": "t", "actions": [click],
                   "response_url": ada.fake.response_url("x")}
        response = await ada.interaction(payload, secret="someone-elses-secret")
        assert response.status_code == 401
        await nothing_happened(ada, fake_toggl)

    async def test_replayed_event_is_rejected(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        body = ada.event_body({"type": "app_home_opened", "user": "U1", "tab": "home"})
        response = await ada.post(body, "application/json", timestamp=int(time.time()) - STALE)
        assert response.status_code == 401
        await nothing_happened(ada, fake_toggl)


class TestRetries:
    """Slack signs every delivery anew: a retry is the same body with a new timestamp."""

    async def test_a_retried_command_starts_one_entry(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        body, _ = ada.command_body("start standup", trigger_id="trigger-once")
        now = int(time.time())
        first = await ada.post(body, timestamp=now - 3)
        retried = await ada.post(body, retry=1, timestamp=now)
        assert first.status_code == retried.status_code == 200
        await ada.fake.wait_for("respond")
        await asyncio.sleep(0.1)
        assert fake_toggl.count("POST") == 1
        assert len(fake_toggl.entries(fake_toggl.user_ids()[0])) == 1
        assert len(ada.fake.of("respond")) == 1

    async def test_a_retried_event_is_handled_once(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        body = ada.event_body(
            {"type": "app_home_opened", "user": "U1", "tab": "home"}, event_id="Ev-once"
        )
        now = int(time.time())
        for retry in (None, 1, 2):
            response = await ada.post(body, "application/json", retry=retry,
                                      timestamp=now - 60 + (retry or 0))
            assert response.status_code == 200
        await ada.fake.wait_for("views.publish")
        await asyncio.sleep(0.1)
        assert len(ada.fake.of("views.publish")) == 1
        assert fake_toggl.count() == 1
