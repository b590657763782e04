"""Events: the App Home tab, and the app losing its token (uninstalled or revoked).

The Home tab is published when opened, at most once a minute per person: each publish
costs a Toggl request (the overview), and people flick between tabs; the quota is 30 an
hour on Toggl's Free plan, so a recent Home is left as it is.

``app_uninstalled`` and ``tokens_revoked`` are answered in every mode (an unhandled event
gets 404 from bolt, and Slack retries it): the workspace's digests are turned off, since
nothing can post them any more, and with OAuth its stored installation is deleted too.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.answer import publish_home
from adapters.slack.translate import user_key
from bot.core import Core
from bot.domain import UserKey

log = logging.getLogger(__name__)

HOME_REFRESH_AFTER = 60.0


def register(app: AsyncApp, core: Core, refresh_after: float = HOME_REFRESH_AFTER) -> None:
    _register_home(app, core, refresh_after)
    _register_token_loss(app, core)


def _register_home(app: AsyncApp, core: Core, refresh_after: float) -> None:
    published: dict[UserKey, float] = {}

    @app.event("app_home_opened")
    async def home_opened(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        key = user_key(body)
        now = time.monotonic()
        if now - published.get(key, -refresh_after) < refresh_after:
            return
        published[key] = now
        await publish_home(core, client, key)


def _register_token_loss(app: AsyncApp, core: Core) -> None:
    oauth = app.installation_store is not None

    @app.event("app_uninstalled")
    async def uninstalled(body: dict[str, Any], context: AsyncBoltContext) -> None:
        if oauth:
            await app.default_app_uninstalled_event_listener()(context=context)
        await _token_lost(core, context, body, oauth)

    @app.event("tokens_revoked")
    async def revoked(
        event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if oauth:
            await app.default_tokens_revoked_event_listener()(event=event, context=context)
        tokens = event.get("tokens") or {}
        if tokens.get("bot"):
            await _token_lost(core, context, body, oauth)
        team = context.team_id or str(body.get("team_id") or "")
        for user in tokens.get("oauth") or ():  # people who revoked their status permission
            await core.drop_status(UserKey("slack", team, str(user)))


async def _token_lost(
    core: Core, context: AsyncBoltContext, body: dict[str, Any], oauth: bool
) -> None:
    team = context.team_id or str(body.get("team_id") or "")
    stopped = await core.digests.disable_team("slack", team) if core.digests and team else 0
    if oauth:
        log.warning("Slack workspace %s removed togglbot; %d digest(s) turned off",
                    team, stopped)
    else:
        log.error("Slack workspace %s removed togglbot: SLACK_BOT_TOKEN no longer works; "
                  "reinstall the app and set its new token. %d digest(s) turned off",
                  team, stopped)
