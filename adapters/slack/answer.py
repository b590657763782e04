"""Getting a Reply to the person: a response_url message, the token modal, or the Home tab."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import context, message
from adapters.slack.followups import respond_with
from adapters.slack.views import Origin, home_view, login_modal
from bot.commands import Overview
from bot.core import Core
from bot.domain import UserKey
from bot.replies import Button, Reply

log = logging.getLogger(__name__)

CONNECT = Button("Connect Toggl", "login", "primary")
_SLACK_ID = re.compile(r"[A-Z0-9]+")


async def open_login(
    client: AsyncWebClient, trigger_id: str, reply: Reply, origin: Origin
) -> bool:
    """Open the token modal; False when Slack refused (a trigger_id lives 3 seconds)."""
    try:
        await client.views_open(trigger_id=trigger_id, view=login_modal(reply, origin))
    except SlackApiError as exc:
        log.warning("views.open failed: %s", exc.response.get("error"))
        return False
    return True


async def send(respond: AsyncRespond, payload: dict[str, Any]) -> None:
    sent = await respond_with(respond, payload)
    if sent.status_code != 200:
        # Only the status: the body could echo our message back.
        log.warning("response_url answered %s", sent.status_code)


async def answer(
    reply: Reply,
    respond: AsyncRespond,
    *,
    client: AsyncWebClient | None = None,
    trigger_id: str | None = None,
    origin: Origin | None = None,
    share: str | None = None,
    replace_original: bool = False,
) -> None:
    """Show ``reply`` to the person who acted (the modal when it asks for a token)."""
    if reply.posted:
        return  # the bot posted it in the channel already (`digest at`)
    if reply.ask_token and client is not None and trigger_id:
        where = origin or Origin(response_url=respond.response_url or "")
        if await open_login(client, trigger_id, reply, where):
            return
    if reply.ask_token and CONNECT not in reply.buttons:
        reply = replace(reply, buttons=(*reply.buttons, CONNECT))
    payload = message(reply, share=share if reply.shareable else None)
    payload["response_type"] = "in_channel" if reply.public else "ephemeral"
    payload["replace_original"] = replace_original
    await send(respond, payload)


async def share(reply: Reply, respond: AsyncRespond, sharer: str) -> None:
    """Post a reply for everyone in the channel, without buttons, saying who shared it."""
    payload = message(reply, buttons=False)
    if _SLACK_ID.fullmatch(sharer):
        payload["blocks"].append(context(f"Shared by <@{sharer}>"))
    payload["response_type"] = "in_channel"
    payload["replace_original"] = False
    await send(respond, payload)


async def publish_home(
    core: Core, client: AsyncWebClient, key: UserKey, notice: Reply | None = None
) -> None:
    """Build the Home tab for ``key`` (one Toggl call) and publish it to them."""
    overview = await core.execute(key, Overview())
    await client.views_publish(user_id=key.user_id, view=home_view(overview, notice))
