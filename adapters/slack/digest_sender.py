"""Digests to Slack: chat.postMessage with Block Kit, the chart in the message's thread.

Tells the scheduler how a send ended (see adapters.worker): a Slack refusal raises
DeliveryRejected, ``permanent`` when asking again can't change it (adapters.slack.refusals);
a 5xx or a timeout propagates, since the message may have arrived.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import context, message
from adapters.slack.refusals import PERMANENT, REINSTALL, granted_scopes, refusal
from bot.digest.model import Channel
from bot.digest.ports import DeliveryRejected
from bot.domain import UserKey
from bot.pacing import Pacer
from bot.replies import Reply

log = logging.getLogger(__name__)

CHANNEL_INTERVAL = 1.0  # Slack: about one message per second per channel
CHART_NAME = "digest.png"
_ID = re.compile(r"[A-Z0-9]+")  # a Slack id: safe inside <#…>

TokenLookup = Callable[[str], Awaitable[str | None]]


class SlackSender:
    """chat.postMessage with Block Kit; the chart goes into the message's thread."""

    platform = "slack"

    def __init__(self, tokens: TokenLookup, base_url: str, pacer: Pacer | None = None) -> None:
        self._tokens = tokens
        self._base_url = base_url
        self._pacer = pacer or Pacer(CHANNEL_INTERVAL)
        self._clients: dict[str, AsyncWebClient] = {}

    def _client(self, token: str) -> AsyncWebClient:
        if token not in self._clients:
            client = AsyncWebClient(token=token, base_url=self._base_url)
            # 429: wait for Retry-After and try again (bounded); still limited -> refused.
            client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
            self._clients[token] = client
        return self._clients[token]

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str:
        client = await self._for(team_id)
        await self._pacer.wait((team_id, channel_id))
        ts = await self._post(client, channel_id, message(reply, buttons=False))
        if reply.image is not None:
            await self._attach_chart(client, team_id, channel_id, ts, reply.image)
        return ts

    async def tell(self, channel: Channel, user_id: str, reply: Reply) -> None:
        # A user id as the channel: the app's own DM with them (needs only chat:write).
        payload = message(reply, buttons=False)
        if _ID.fullmatch(channel.channel_id):
            payload["blocks"].append(context(f"About the digest of <#{channel.channel_id}>"))
        await self._post(await self._for(channel.team_id), user_id, payload)

    async def remind(self, key: UserKey, reply: Reply) -> None:
        """A reminder in the app's DM with the person (its Messages tab; chat:write only);
        its buttons act for them alone."""
        payload = message(reply, owner=key.user_id)
        await self._post(await self._for(key.team_id), key.user_id, payload)

    async def _for(self, team_id: str) -> AsyncWebClient:
        token = await self._tokens(team_id)
        if token is None:
            raise DeliveryRejected(
                "not_installed", permanent=True,
                fix=f"togglbot is not installed in this Slack workspace: {REINSTALL}.",
            )
        return self._client(token)

    async def _post(self, client: AsyncWebClient, channel: str, payload: dict[str, Any]) -> str:
        try:
            posted = await client.chat_postMessage(channel=channel, unfurl_links=False, **payload)
        except SlackApiError as exc:
            if exc.response.status_code >= 500:
                raise  # Slack may have stored it: the outcome is unknown
            body = exc.response.data if isinstance(exc.response.data, dict) else {}
            why = refusal(body, granted_scopes(exc.response.headers))
            raise DeliveryRejected(
                why.reason, permanent=why.reason in PERMANENT, fix=why.fix
            ) from None
        except aiohttp.ClientConnectorError:
            raise DeliveryRejected("cannot reach Slack") from None
        return str(posted["ts"])

    async def _attach_chart(
        self, client: AsyncWebClient, team_id: str, channel_id: str, ts: str, png: bytes
    ) -> None:
        # The message is out: a failed chart is logged, never a reason to post again.
        await self._pacer.wait((team_id, channel_id))
        try:
            await client.files_upload_v2(
                channel=channel_id, thread_ts=ts, content=png, filename=CHART_NAME,
                title="Hours per person", alt_txt="Bar chart of hours tracked per person",
            )
        except SlackApiError as exc:
            # e.g. missing_scope (files:write) on an installation from an older manifest.
            log.warning("digest chart upload to %s refused: %s (needed: %s)", channel_id,
                        exc.response.get("error"), exc.response.get("needed", "-"))
        except Exception as exc:
            log.warning("digest chart upload to %s failed: %s", channel_id, type(exc).__name__)
