"""The token modal's submission: validated with Toggl before Slack closes the modal."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import answer as out
from adapters.slack.translate import submitted_token, user_key
from adapters.slack.views import (
    LOGIN_CALLBACK,
    TOKEN_BLOCK,
    Origin,
    checking_modal,
    inline_error,
    login_modal,
    result_modal,
)
from bot.commands import Login
from bot.core import Core
from bot.domain import UserKey
from bot.replies import Reply, Tone

# Slack wants the modal's answer within 3 s of the click; leave room for the network.
ACK_BUDGET = 2.0


def register(app: AsyncApp, core: Core) -> None:
    @app.view(LOGIN_CALLBACK)
    async def login(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        key = user_key(body)
        origin = Origin.load(view.get("private_metadata"))
        check = asyncio.ensure_future(
            core.execute(key, Login(SecretStr(submitted_token(view))))
        )
        try:
            reply = await asyncio.wait_for(asyncio.shield(check), ACK_BUDGET)
        except TimeoutError:
            await ack(response_action="update", view=checking_modal())
            reply = await check
            connected = reply.tone is Tone.SUCCESS
            shown = result_modal(reply) if connected else login_modal(reply, origin)
            await client.views_update(view_id=view["id"], view=shown)
        else:
            connected = reply.tone is Tone.SUCCESS
            if not connected:
                await ack(response_action="errors", errors={TOKEN_BLOCK: inline_error(reply)})
            elif origin.response_url or origin.home:
                await ack()  # closes the modal; the confirmation goes where they started
            else:
                await ack(response_action="update", view=result_modal(reply))
        if connected:
            await _confirm(core, client, key, reply, origin)


async def _confirm(
    core: Core, client: AsyncWebClient, key: UserKey, reply: Reply, origin: Origin
) -> None:
    """Say "connected" where the person started: the channel, or a refreshed Home tab."""
    if origin.response_url:
        await out.answer(reply, AsyncRespond(response_url=origin.response_url))
    if origin.home:
        await out.publish_home(core, client, key)
