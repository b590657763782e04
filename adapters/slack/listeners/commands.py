"""`/toggl <text>`: ack at once, answer through response_url when the core is done."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.access import SlackChannelAccess
from adapters.slack.answer import answer
from adapters.slack.translate import invocation, typed_text
from bot.core import Core

COMMAND = "/toggl"


def register(app: AsyncApp, core: Core) -> None:
    @app.command(COMMAND)
    async def toggl(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        # Slack shows a timeout after 3 s; Toggl may be slower, so the answer comes later.
        await ack()
        text = typed_text(command)
        asked = invocation(command, text)
        access = SlackChannelAccess(client, by=asked.user_id)  # used by `digest at` only
        reply = await core.dispatch(asked, access=access)
        await answer(
            reply, respond, client=client, trigger_id=command.get("trigger_id"), share=text
        )
