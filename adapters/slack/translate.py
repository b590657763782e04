"""Slack payloads -> the core's nouns: who acts, what they typed or clicked."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters.slack.views import TOKEN_ACTION, TOKEN_BLOCK
from bot.core import Invocation
from bot.domain import UserKey

PLATFORM = "slack"
_ENTITIES = re.compile(r"&(amp|lt|gt);")
_CHARS = {"amp": "&", "lt": "<", "gt": ">"}


def _team(body: Mapping[str, Any], user_team: object = None) -> str:
    team = body.get("team")
    team_id = team.get("id") if isinstance(team, Mapping) else team
    for candidate in (user_team, team_id, body.get("team_id"), body.get("enterprise_id")):
        if isinstance(candidate, str) and candidate:
            return candidate
    return ""


def user_key(body: Mapping[str, Any]) -> UserKey:
    """The person acting: the clicker of a button, never whoever posted the message.

    Interactions carry ``user`` (id and home team), slash commands ``user_id``, events
    ``event.user``.
    """
    user = body.get("user")
    if isinstance(user, Mapping):
        return UserKey(PLATFORM, _team(body, user.get("team_id")), str(user["id"]))
    if "user_id" in body:
        return UserKey(PLATFORM, _team(body), str(body["user_id"]))
    return UserKey(PLATFORM, _team(body), str(body["event"]["user"]))


def invocation(body: Mapping[str, Any], text: str) -> Invocation:
    """``text`` as typed (a slash command) or carried by a button, run for the actor."""
    key = user_key(body)
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id", "")
    return Invocation(PLATFORM, key.team_id, key.user_id, text, channel_id=str(channel))


def typed_text(command: Mapping[str, Any]) -> str:
    """A slash command's text as typed: Slack sends &, < and > as entities."""
    return _ENTITIES.sub(lambda m: _CHARS[m.group(1)], str(command.get("text") or ""))


def on_home(body: Mapping[str, Any]) -> bool:
    """Whether a button was clicked on the App Home tab (not in a message)."""
    view = body.get("view")
    return isinstance(view, Mapping) and view.get("type") == "home"


def on_private_message(body: Mapping[str, Any]) -> bool:
    """Only the clicker sees an ephemeral message, so it may be replaced by the answer."""
    container = body.get("container") or {}
    return bool(container.get("is_ephemeral"))


def submitted_token(view: Mapping[str, Any]) -> str:
    values = view.get("state", {}).get("values", {})
    value = values.get(TOKEN_BLOCK, {}).get(TOKEN_ACTION, {}).get("value")
    return (value or "").strip()
