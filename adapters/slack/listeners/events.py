"""The App Home tab: published when opened, at most once a minute per person.

Each publish costs a Toggl request (the overview), and people flick between tabs; the
quota is 30 an hour on Toggl's Free plan, so a recent Home is left as it is.
"""

from __future__ import annotations

import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.answer import publish_home
from adapters.slack.translate import user_key
from bot.core import Core
from bot.domain import UserKey

HOME_REFRESH_AFTER = 60.0


def register(app: AsyncApp, core: Core, refresh_after: float = HOME_REFRESH_AFTER) -> None:
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
