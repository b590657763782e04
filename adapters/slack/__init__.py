"""Slack adapter (slack-bolt): `/toggl`, Block Kit buttons, the token modal, App Home.

Only translates between Slack and the core: no Toggl calls, no SQL here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import (
    EVENTS_PATH,
    INSTALL_PATH,
    REDIRECT_PATH,
    SlackSetup,
    create_slack_app,
    slack_setup,
)
from adapters.slack.followups import followup_session
from adapters.slack.installations import SlackInstallationStore
from bot.app import App
from bot.config import Settings
from bot.errors import ConfigError

__all__ = [
    "EVENTS_PATH",
    "INSTALL_PATH",
    "REDIRECT_PATH",
    "SlackSetup",
    "check_app_token",
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
        await stack.enter_async_context(followup_session())  # closed after the listeners
        installations = None
        if setup is not None and setup.oauth:
            installations = SlackInstallationStore(app.installations)
        bolt = create_slack_app(settings, app.core, installations=installations)
        if settings.SLACK_APP_TOKEN is not None:
            socket = AsyncSocketModeHandler(bolt, settings.SLACK_APP_TOKEN.get_secret_value())
            stack.push_async_callback(socket.close_async)
            try:
                # The SDK retries a failed connection forever; a process that never
                # serves should say so and stop instead.
                async with asyncio.timeout(CONNECT_WITHIN):
                    await socket.connect_async()  # type: ignore[no-untyped-call]
            except TimeoutError:
                raise ConfigError(
                    f"cannot reach Slack's Socket Mode server within {CONNECT_WITHIN} s"
                ) from None
        yield AsyncSlackRequestHandler(bolt)
        await finish_listeners(STOP_GRACE)


CONNECT_WITHIN = 20  # seconds for Socket Mode's first connection
STOP_GRACE = 5.0  # seconds answers already acked get to finish when the process stops
# Bolt answers after the ack in tasks running these coroutines.
LISTENER_TASKS = ("run_ack_function_asynchronously", "run_message_listeners")


async def finish_listeners(within: float) -> None:
    """On shutdown, let commands already acked finish (their answer is promised), up to
    ``within`` seconds, before the core they use is closed; then cancel what is left."""
    pending = [
        task for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__name__", "") in LISTENER_TASKS and not task.done()
    ]
    if not pending:
        return
    _, late = await asyncio.wait(pending, timeout=within)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
CHECK_WITHIN = 10  # seconds for the token check


async def check_app_token(settings: Settings) -> None:
    """Socket Mode: refuse to start, in one line, when Slack rejects SLACK_APP_TOKEN or
    cannot be reached (the SDK would retry forever, logging a traceback each time)."""
    token = settings.SLACK_APP_TOKEN
    if token is None:
        return
    client = AsyncWebClient(base_url=settings.SLACK_API_URL, timeout=CHECK_WITHIN)
    try:
        await client.apps_connections_open(app_token=token.get_secret_value())
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        raise ConfigError(
            f"Slack refused SLACK_APP_TOKEN ({error}): use the app-level token (xapp-…) "
            "with the connections:write scope from your app's Basic Information page."
        ) from None
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise ConfigError(
            f"cannot reach Slack at {settings.SLACK_API_URL} ({type(exc).__name__})"
        ) from None
