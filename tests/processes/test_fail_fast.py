"""Issue 15 item 12: a part that cannot start says why in one line and exits non-zero."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.migrate import upgrade
from tests.processes.helpers import base_env, free_port, start
from tests.slack.fake_slack import FakeSlack, serve

GIVES_UP_WITHIN = 30  # seconds


def finish(process: subprocess.Popen[str]) -> str:
    try:
        _, err = process.communicate(timeout=GIVES_UP_WITHIN)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"still trying after {GIVES_UP_WITHIN} s") from None
    return err


def ours(err: str) -> list[str]:
    """The lines togglbot itself wrote (not the INFO chatter of a normal start)."""
    return [line for line in err.splitlines() if line.startswith("togglbot")]


class TestSocketMode:
    @pytest.mark.parametrize("process", ["web", "run"])
    def test_a_rejected_app_token(self, tmp_path: Path, process: str) -> None:
        with serve(FakeSlack()) as slack:
            slack.fail("apps.connections.open", "invalid_auth")
            env = base_env(tmp_path, SLACK_APP_TOKEN="xapp-revoked", SLACK_BOT_TOKEN="xoxb-x",
                           SLACK_API_URL=slack.api_url, PORT=str(free_port()))
            upgrade(env["DATABASE_URL"])
            running = start([process], env, tmp_path)
            err = finish(running)
        assert running.returncode != 0
        assert ours(err) == [
            "togglbot: Slack refused SLACK_APP_TOKEN (invalid_auth): use the app-level token "
            "(xapp-…) with the connections:write scope from your app's Basic Information page."
        ], err
        assert "Traceback" not in err and "xapp-revoked" not in err

    def test_slack_cannot_be_reached(self, tmp_path: Path) -> None:
        env = base_env(tmp_path, SLACK_APP_TOKEN="xapp-x", SLACK_BOT_TOKEN="xoxb-x",
                       SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/")
        upgrade(env["DATABASE_URL"])
        running = start(["web"], env, tmp_path)
        err = finish(running)
        assert running.returncode != 0
        [line] = ours(err)
        assert line.startswith("togglbot: cannot reach Slack at http://127.0.0.1:"), err
        assert "Traceback" not in err


DISCORD_AT = "import discord.http\ndiscord.http.Route.BASE = {!r}"


class TestDiscordCannotBeReached:
    def test_alone(self, tmp_path: Path) -> None:
        env = base_env(tmp_path, DISCORD_TOKEN="discord-test-token")
        upgrade(env["DATABASE_URL"])
        nowhere = f"http://127.0.0.1:{free_port()}/api/v10"
        running = start(["discord"], env, tmp_path, prelude=DISCORD_AT.format(nowhere))
        err = finish(running)
        assert running.returncode == 1
        assert ours(err) == ["togglbot discord: could not connect to Discord "
                             "(ClientConnectorError)."], err
        assert "Traceback" not in err

    def test_inside_togglbot_run(self, tmp_path: Path) -> None:
        env = base_env(tmp_path, DISCORD_TOKEN="discord-test-token", PORT=str(free_port()),
                       SLACK_BOT_TOKEN="xoxb-x", SLACK_SIGNING_SECRET="s")
        nowhere = f"http://127.0.0.1:{free_port()}/api/v10"
        running = start(["run"], env, tmp_path, prelude=DISCORD_AT.format(nowhere))
        err = finish(running)
        assert running.returncode == 1, err
        assert ours(err) == ["togglbot discord: could not connect to Discord "
                             "(ClientConnectorError)."], err
        assert "Traceback" not in err
