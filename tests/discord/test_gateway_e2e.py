"""End to end through discord.py's real HTTP and gateway code, against a local Discord.

The stand-in (tests/discord/stand_in) serves Discord's REST API and gateway as Discord's
published API description says; the bot process (``adapters.discord.gateway``) runs the
real core on the Toggl emulator. Commands are registered the way `togglbot discord sync`
does it, and every interaction is built from what was registered.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.crypto import TokenCipher
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.migrate import upgrade
from bot.testing.clock import ManualClock
from tests.discord.fakes import ADA
from tests.discord.stand_in import BOT_TOKEN, DiscordStandIn
from tests.discord.stand_in.fixtures import bot, discord_api, labels, text  # noqa: F401


@pytest.mark.parametrize("dm", [False, True], ids=["server", "dm"])
async def test_not_connected_answers_privately(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, dm: bool
) -> None:
    done = await discord_api.slash("toggl current", user_id=ADA, dm=dm)
    assert done.last.ephemeral
    assert "not connected" in text(done.last).lower(), text(done.last)



async def test_login_form_stores_the_token(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, toggl_token: str
) -> None:
    opened = await discord_api.slash("toggl login", user_id=ADA)
    assert opened.type == 9  # MODAL: the token never goes into a command option
    submitted = await discord_api.submit(opened, [toggl_token], user_id=ADA)
    assert submitted.last.ephemeral
    assert text(submitted.last).startswith("Connected"), text(submitted.last)
    current = await discord_api.slash("toggl current", user_id=ADA)
    assert "not connected" not in text(current.last).lower(), text(current.last)


async def test_start_with_autocomplete_then_stop_by_button(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, ada_on_discord: UserKey,
    fake_toggl: TogglEmulator,
) -> None:
    choices = await discord_api.typing("toggl start", "project", "web", user_id=ADA,
                                       description="Review")
    assert sorted(c["name"] for c in choices) == ["Web shop", "Website"]
    assert fake_toggl.requests == []  # suggestions come from the cache
    started = await discord_api.slash("toggl start", user_id=ADA, description="Review",
                                      project="Website")
    assert started.last.ephemeral and "Review" in text(started.last), text(started.last)
    assert "Stop" in labels(started.last)

    stopped = await discord_api.click(started.last, "Stop", user_id=ADA)
    assert stopped.type == 6  # a deferred update: the answer replaces the card
    assert stopped.last is started.last and started.last.edited
    assert text(started.last).startswith("Stopped"), text(started.last)


async def test_summary_of_the_week_then_share_it(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, ada_on_discord: UserKey,
    fake_toggl: TogglEmulator, clock: ManualClock,
) -> None:
    monday = clock().replace(hour=8) - timedelta(days=1)  # Monday 09:00 in Berlin
    fake_toggl.add_entry(fake_toggl.user_ids()[0], fake_toggl.workspace_ids()[0], "Review",
                         monday, monday + timedelta(hours=2))
    done = await discord_api.slash("toggl summary", user_id=ADA, period="week")
    assert done.last.ephemeral
    assert "This week" in text(done.last) and "2h" in text(done.last), text(done.last)

    shared = await discord_api.click(done.last, "Share in channel", user_id=ADA)
    post = shared.last
    assert post is not done.last and not post.ephemeral  # everyone in the channel sees it
    assert "2h" in text(post) and labels(post) == []


async def test_the_client_asks_only_for_the_guilds_intent(
    bot: asyncio.Task[int], discord_api: DiscordStandIn
) -> None:
    session = await discord_api.connected()
    assert session.identify is not None and session.identify["intents"] == 1  # GUILDS


async def test_after_a_reconnect_request_it_resumes_and_still_answers(
    bot: asyncio.Task[int], discord_api: DiscordStandIn
) -> None:
    first = await discord_api.connected()
    await first.send({"op": 7, "s": None, "t": None, "d": None})  # RECONNECT
    await discord_api.wait_for(lambda: first.close_code is not None and
                               discord_api.gateway.current is not None, "resumed")
    second = discord_api.gateway.current
    assert second is not None and second.resumed and second.session_id == first.session_id
    done = await discord_api.slash("toggl current", user_id=ADA)
    assert "not connected" in text(done.last).lower()


async def test_stopping_closes_the_gateway_with_1000(
    bot: asyncio.Task[int], discord_api: DiscordStandIn
) -> None:
    session = await discord_api.connected()
    bot.cancel()  # what `togglbot run` does on SIGTERM/SIGINT
    await asyncio.gather(bot, return_exceptions=True)
    await discord_api.wait_for(lambda: session.close_code is not None, "closed the gateway")
    assert session.close_code == 1000


async def test_stopping_lets_the_commands_in_flight_answer(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, ada_on_discord: UserKey,
    fake_toggl: TogglEmulator,
) -> None:
    fake_toggl.latency = 0.2  # Toggl is slow: the command is still running when told to stop
    asked = await discord_api.slash("toggl current", user_id=ADA, wait=False)
    await discord_api.wait_for(lambda: asked.type == 5, "deferred")
    bot.cancel()
    await discord_api.wait_for(lambda: asked.settled, "answered after being told to stop")
    assert "running" in text(asked.last).lower() or "no timer" in text(asked.last).lower(), (
        text(asked.last))


LAUNCH = ("import sys, discord.http; discord.http.Route.BASE = sys.argv[1]; "
          "from bot.cli import main; sys.exit(main(['discord']))")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_the_process_closes_the_gateway_with_1000_when_told_to_stop(
    discord_api: DiscordStandIn, tmp_path: Path, stop: signal.Signals
) -> None:
    database = f"sqlite:///{tmp_path}/discord.db"
    upgrade(database)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKEN_", "DATABASE_"))}
    env |= {"DATABASE_URL": database, "DISCORD_TOKEN": BOT_TOKEN,
            "TOKEN_ENCRYPTION_KEY": TokenCipher.generate_key(),
            "TOGGL_API_URL": "http://127.0.0.1:9/api/v9"}  # never called: nobody interacts
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LAUNCH, discord_api.api, env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        session = await discord_api.connected()
        process.send_signal(stop)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert session.close_code == 1000, stderr.decode()[-2000:]
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert b"Traceback" not in stderr
