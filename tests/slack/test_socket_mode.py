"""Socket Mode: with SLACK_APP_TOKEN the same listeners answer over Slack's WebSocket."""

from __future__ import annotations

from urllib.parse import parse_qsl

from pydantic import SecretStr

from bot import migrate
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.slack.conftest import running, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.fake_socket import FakeSocketMode
from tests.slack.slack_side import SlackSide

APP_TOKEN = "xapp-test-app-token"  # a test value


async def test_a_command_over_the_socket_is_acked_and_answered(
    fake_slack: FakeSlack, fake_toggl: TogglEmulator, clock: ManualClock, sqlite_url: str,
    toggl_token: str,
) -> None:
    migrate.upgrade(sqlite_url)
    settings = slack_settings(
        fake_slack, sqlite_url, SLACK_SIGNING_SECRET=None, SLACK_APP_TOKEN=SecretStr(APP_TOKEN)
    )
    async with FakeSocketMode().serving() as socket:
        fake_slack.socket_url = socket.url
        async with running(settings, fake_toggl, clock) as web:
            [opened] = await fake_slack.wait_for("apps.connections.open")
            assert opened.token == APP_TOKEN
            body, hook = SlackSide(web, fake_slack).command_body("help")
            await socket.outbox.put({
                "envelope_id": "env-1", "type": "slash_commands",
                "accepts_response_payload": True, "payload": dict(parse_qsl(body)),
            })
            await socket.wait_for_ack("env-1")
            [answer] = await fake_slack.wait_for("respond")
            assert answer.path == hook and answer.payload["text"] == "togglbot commands"
            # No signing secret: no HTTP endpoint to forge requests against.
            assert (await web.post("/slack/events", content="x")).status_code == 404
