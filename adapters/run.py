"""`togglbot run`: everything the configuration enables, in one process, for small installs.

Slack over HTTP (or Socket Mode), the Discord gateway and the digest scheduler share one
event loop. Exactly-once digests still hold, because claims live in the database.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from adapters.edge import uvicorn_options
from adapters.slack import slack_setup
from adapters.web import LIMITS, create_web_app
from bot.config import Settings
from bot.migrate import upgrade

log = logging.getLogger(__name__)

NOTHING_TO_RUN = (
    "nothing to run: configure Slack (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET, or "
    "SLACK_CLIENT_ID + SLACK_CLIENT_SECRET) or Discord (DISCORD_TOKEN). "
    "To try togglbot without either, run `togglbot demo`."
)


def run_all(settings: Settings) -> int:
    """Serve until SIGINT/SIGTERM; returns the exit code."""
    has_discord = settings.DISCORD_TOKEN is not None
    if slack_setup(settings) is None and not has_discord:
        print(f"togglbot run: {NOTHING_TO_RUN}", file=sys.stderr)
        return 2
    # One process owns its database here: bring the schema up to date first.
    upgrade(settings.DATABASE_URL)
    return asyncio.run(_serve(settings, has_discord))


class _WebServer(uvicorn.Server):
    """uvicorn re-raises SIGTERM/SIGINT once it has stopped, which would end the process
    before the digest scheduler and the Discord client close; here the caller owns them."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _serve(settings: Settings, has_discord: bool) -> int:
    from adapters import worker

    limits = LIMITS
    web = _WebServer(
        uvicorn.Config(
            create_web_app(settings, limits=limits),
            host="0.0.0.0",  # noqa: S104
            port=settings.PORT,
            **uvicorn_options(limits),
        )
    )
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, setattr, web, "should_exit", True)
    async with worker.in_background(settings):
        if not has_discord:
            await web.serve()
            return 0
        from adapters import discord

        gateway = asyncio.create_task(discord.serve(settings), name="discord")
        try:
            await web.serve()  # returns on SIGINT/SIGTERM
        finally:
            gateway.cancel()
            await asyncio.gather(gateway, return_exceptions=True)
    return 0
