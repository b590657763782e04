"""`togglbot run`: everything the configuration enables, in one process, for small installs.

Slack over HTTP (or Socket Mode), the Discord gateway and the digest scheduler share one
event loop and one ``App`` (engine, stores, Toggl client, core). Exactly-once digests
still hold, because claims live in the database.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from contextlib import nullcontext

import uvicorn

from adapters.edge import StoppableServer, uvicorn_options
from adapters.slack import check_app_token, slack_setup
from adapters.web import LIMITS, create_web_app
from bot.app import App, open_app
from bot.config import Settings
from bot.crypto import cipher_from
from bot.migrate import upgrade

log = logging.getLogger(__name__)

NOTHING_TO_RUN = (
    "nothing to run: configure Slack (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET, or "
    "SLACK_CLIENT_ID + SLACK_CLIENT_SECRET) or Discord (DISCORD_TOKEN). "
    "To try togglbot without either, run `togglbot demo`."
)


def run_all(settings: Settings) -> int:
    """Serve until SIGINT/SIGTERM; returns the exit code (non-zero when a part failed)."""
    has_discord = settings.DISCORD_TOKEN is not None
    if slack_setup(settings) is None and not has_discord:
        print(f"togglbot run: {NOTHING_TO_RUN}", file=sys.stderr)
        return 2
    cipher_from(settings)  # a missing key stops us before the database file is created
    asyncio.run(check_app_token(settings))  # Socket Mode: a refused token is one line, now
    # One process owns its database here: bring the schema up to date first.
    upgrade(settings.DATABASE_URL)
    return asyncio.run(_serve(settings, has_discord))


async def _serve(settings: Settings, has_discord: bool) -> int:
    from adapters import worker

    async with open_app(settings, serving=True) as app:
        # The signals are ours here: the scheduler and Discord close after the web server.
        web = StoppableServer(uvicorn.Config(
            create_web_app(settings, build=lambda _: nullcontext(app), limits=LIMITS),
            host="0.0.0.0", port=settings.PORT, **uvicorn_options(LIMITS),  # noqa: S104
        ), own_signals=False)
        stop = asyncio.Event()

        def halt() -> None:
            stop.set()
            web.should_exit = True

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, halt)
        async with worker.in_background(settings, app):
            gateway = _gateway(settings, app, stop, halt) if has_discord else None
            await web.serve()  # returns on SIGINT/SIGTERM, or when a part failed
            halt()
            code = await gateway if gateway is not None else 0
    return code or (0 if web.started else 1)


def _gateway(
    settings: Settings, app: App, stop: asyncio.Event, halt: Callable[[], None]
) -> asyncio.Task[int]:
    """Discord beside the web server: if it cannot start, the whole process stops."""
    from adapters import discord

    task = asyncio.create_task(discord.serve(settings, stop, app), name="discord")

    def ended(done: asyncio.Task[int]) -> None:
        if not stop.is_set():
            halt()  # it has said why in one line already

    task.add_done_callback(ended)
    return task
