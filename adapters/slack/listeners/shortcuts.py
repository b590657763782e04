"""The message shortcut "Track this message": a form, then one Toggl request on submit."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import track
from adapters.slack.translate import user_key
from bot.core import Core

# Slack wants the form's answer within 3 s of the click; leave room for the network.
ACK_BUDGET = 2.0


def register(app: AsyncApp, core: Core) -> None:
    @app.shortcut(track.SHORTCUT)
    async def track_message(
        ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        key = user_key(shortcut)
        channel = str((shortcut.get("channel") or {}).get("id") or "")
        text = track.plain_text(str((shortcut.get("message") or {}).get("text") or ""))
        default = await core.channel_default(key.platform, key.team_id, channel)
        await client.views_open(trigger_id=shortcut["trigger_id"],
                                view=track.form(text, default, channel))

    @app.view(track.SUBMIT)
    async def submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        run = asyncio.ensure_future(core.execute(
            user_key(body), track.submitted(view), channel_id=track.channel_of(view)))
        try:
            reply = await asyncio.wait_for(asyncio.shield(run), ACK_BUDGET)
        except TimeoutError:
            await ack(response_action="update", view=track.working())
            await client.views_update(view_id=view["id"], view=track.result(await run))
        else:
            await ack(response_action="update", view=track.result(reply))
