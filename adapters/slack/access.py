"""`digest at` on Slack: can the bot post digests in this channel?

The check is the post itself: the set-up notice goes out with chat.postMessage, as the
bot, exactly as the digest will. It needs no scope beyond what digests need (reading
channel details with conversations.info would add `channels:read` and `groups:read`),
costs one call, and can't disagree with what happens at 18:00.
"""

from __future__ import annotations

import re

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import context, message
from adapters.slack.refusals import REINSTALL, granted_scopes, refusal
from bot.digest.model import Channel
from bot.digest.ports import Announcement
from bot.replies import Reply

_ID = re.compile(r"[A-Z0-9]+")  # a Slack id: safe inside <@…>
NO_CHART = ("The daily chart can't be attached: the app lacks Slack's `files:write` "
            f"permission, so {REINSTALL}.")


class SlackChannelAccess:
    """A ChannelAccess for one request, with the bolt client of its workspace."""

    def __init__(self, client: AsyncWebClient, by: str = "") -> None:
        self._client = client
        self._by = by  # who typed `digest at`, named under the notice

    async def announce(self, channel: Channel, notice: Reply) -> Announcement:
        payload = message(notice, buttons=False)
        if _ID.fullmatch(self._by):
            payload["blocks"].append(context(f"Set up by <@{self._by}>"))
        try:
            posted = await self._client.chat_postMessage(
                channel=channel.channel_id, unfurl_links=False, **payload
            )
        except SlackApiError as exc:
            body = exc.response.data if isinstance(exc.response.data, dict) else {}
            return Announcement(refusal=refusal(body, granted_scopes(exc.response.headers)))
        scopes = granted_scopes(posted.headers)
        notes = (NO_CHART,) if scopes is not None and "files:write" not in scopes else ()
        return Announcement(posted=True, notes=notes)
