"""Bolt listeners, one module per kind of Slack request (bolt's starter-template layout)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from adapters.slack.listeners import actions, commands, events, shortcuts, views
from bot.core import Core


def register(app: AsyncApp, core: Core) -> None:
    commands.register(app, core)
    actions.register(app, core)
    views.register(app, core)
    shortcuts.register(app, core)
    events.register(app, core)
