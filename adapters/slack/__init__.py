"""Slack adapter (slack-bolt): `/toggl`, Block Kit buttons, the token modal, App Home.

Only translates between Slack and the core: no Toggl calls, no SQL here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

from adapters.slack.app import (
    EVENTS_PATH,
    INSTALL_PATH,
    REDIRECT_PATH,
    SlackSetup,
    create_slack_app,
    slack_setup,
)
from adapters.slack.installations import SlackInstallationStore
from bot.app import App

__all__ = [
    "EVENTS_PATH",
    "INSTALL_PATH",
    "REDIRECT_PATH",
    "SlackSetup",
    "create_slack_app",
    "run_slack",
    "slack_setup",
]


@asynccontextmanager
async def run_slack(app: App) -> AsyncIterator[AsyncSlackRequestHandler]:
    """The bolt app for the process's lifetime: its HTTP handler, and the Socket Mode
    connection when SLACK_APP_TOKEN is set (both can run side by side)."""
    settings = app.settings
    setup = slack_setup(settings)
    async with AsyncExitStack() as stack:
        installations = None
        if setup is not None and setup.oauth:
            installations = SlackInstallationStore(app.installations)
        bolt = create_slack_app(settings, app.core, installations=installations)
        if settings.SLACK_APP_TOKEN is not None:
            socket = AsyncSocketModeHandler(bolt, settings.SLACK_APP_TOKEN.get_secret_value())
            await socket.connect_async()  # type: ignore[no-untyped-call]
            stack.push_async_callback(socket.close_async)
        yield AsyncSlackRequestHandler(bolt)
