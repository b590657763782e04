"""Button clicks. Every button runs its command for the person who CLICKED it."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import answer as out
from adapters.slack.blocks import (
    LINK_ACTION_PREFIX,
    OWNER_MARK,
    RUN_ACTION_PREFIX,
    SHARE_ACTION,
)
from adapters.slack.translate import invocation, on_home, on_private_message, user_key
from adapters.slack.views import Origin
from bot.core import Core
from bot.replies import Reply, Tone

RUN = re.compile(
    "^" + re.escape(RUN_ACTION_PREFIX) + r"\d+"
    + "(?:" + re.escape(OWNER_MARK) + r"(?P<owner>[A-Z0-9]+))?$"
)
LINK = re.compile("^" + re.escape(LINK_ACTION_PREFIX) + r"\d+$")
NOT_YOURS = Reply(
    title="This button is not yours",
    lines=("Buttons act only for the person they were sent to.",),
    tone=Tone.WARNING,
)


def register(app: AsyncApp, core: Core) -> None:
    @app.action(RUN)
    async def run(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        bound = RUN.match(str(action.get("action_id") or ""))
        if bound and bound["owner"] and bound["owner"] != user_key(body).user_id:
            await out.answer(NOT_YOURS, respond)  # ephemeral: the message stays as it is
            return
        reply = await core.dispatch(invocation(body, str(action.get("value") or "")))
        if on_home(body):
            await _answer_on_home(core, client, body, reply)
            return
        await out.answer(
            reply,
            respond,
            client=client,
            trigger_id=body.get("trigger_id"),
            replace_original=on_private_message(body),
        )

    @app.action(LINK)
    async def link(ack: AsyncAck) -> None:
        await ack()  # the browser opened the page; there is nothing to run

    @app.action(SHARE_ACTION)
    async def share(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        reply = await core.dispatch(invocation(body, str(action.get("value") or "")))
        if not reply.shareable:  # e.g. the sharer's token was rejected meanwhile
            await out.answer(reply, respond)
            return
        await out.share(reply, respond, user_key(body).user_id)


async def _answer_on_home(
    core: Core, client: AsyncWebClient, body: dict[str, Any], reply: Reply
) -> None:
    """The Home tab has no response_url: the answer is a refreshed Home (or the modal)."""
    if reply.ask_token and await out.open_login(
        client, body["trigger_id"], reply, Origin(home=True)
    ):
        return
    await out.publish_home(core, client, user_key(body), notice=reply)
