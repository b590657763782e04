"""Digests to Discord over REST only (no gateway): an embed with the chart attached.

A refusal raises DeliveryRejected (``permanent`` for a rejected token, missing access or
permissions, a deleted channel); a 5xx propagates, since the message may have arrived.
"""

from __future__ import annotations

import asyncio
import io

import discord
from pydantic import SecretStr

from adapters.discord.render import NO_PINGS, embed
from adapters.discord.views import build_view
from bot.digest.model import Channel
from bot.digest.ports import DeliveryRejected
from bot.domain import UserKey
from bot.replies import Reply

CHART_NAME = "digest.png"
DISCORD_PERMISSIONS = "View Channel, Send Messages, Embed Links and Attach Files"
DISCORD_PERMANENT = {401, 403, 404}  # token rejected; missing access/permissions; no channel


class DiscordSender:
    """REST only (no gateway): one message with an embed and the chart attached."""

    platform = "discord"

    def __init__(self, token: SecretStr) -> None:
        self._token = token
        self._client: discord.Client | None = None
        self._lock = asyncio.Lock()

    async def _ready(self) -> discord.Client:
        async with self._lock:
            if self._client is None:
                client = discord.Client(intents=discord.Intents.none())
                try:
                    await client.login(self._token.get_secret_value())
                except discord.LoginFailure:
                    await client.close()
                    raise DeliveryRejected("Discord rejected DISCORD_TOKEN") from None
                except BaseException:
                    await client.close()
                    raise
                self._client = client
            return self._client

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str:
        channel = (await self._ready()).get_partial_messageable(int(channel_id))
        card = embed(reply)
        file: discord.File | None = None
        if reply.image is not None:
            file = discord.File(io.BytesIO(reply.image), filename=CHART_NAME)
            card.set_image(url=f"attachment://{CHART_NAME}")
        try:
            # discord.py waits out 429s itself, per route bucket.
            if file is None:
                sent = await channel.send(embed=card, allowed_mentions=NO_PINGS)
            else:
                sent = await channel.send(embed=card, file=file, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            if exc.status >= 500:
                raise
            raise _discord_refusal(exc) from None
        return str(sent.id)

    async def tell(self, channel: Channel, user_id: str, reply: Reply) -> None:
        client = await self._ready()
        card = embed(reply)
        card.add_field(name="Channel", value=f"<#{int(channel.channel_id)}>", inline=False)
        try:
            dm = await client.create_dm(discord.Object(id=int(user_id)))
            await dm.send(embed=card, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            if exc.status >= 500:
                raise
            raise _discord_refusal(exc) from None

    async def remind(self, key: UserKey, reply: Reply) -> None:
        """A reminder as a DM; its buttons carry the person as their owner (custom_id), so
        nobody else's click acts, in any process."""
        client = await self._ready()
        view = build_view(reply, int(key.user_id))
        try:
            dm = await client.create_dm(discord.Object(id=int(key.user_id)))
            if view is None:
                await dm.send(embed=embed(reply), allowed_mentions=NO_PINGS)
            else:
                await dm.send(embed=embed(reply), view=view, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            if exc.status >= 500:
                raise
            raise _discord_refusal(exc) from None

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()


def _discord_refusal(exc: discord.HTTPException) -> DeliveryRejected:
    fix = {
        403: f"Give togglbot the {DISCORD_PERMISSIONS} permissions in the channel "
             "(Edit Channel → Permissions), or in its role.",
        404: "The channel no longer exists.",
        401: "Discord rejected DISCORD_TOKEN: reset it in the developer portal's Bot page.",
    }.get(exc.status, "")
    return DeliveryRejected(
        f"Discord {exc.status}: {exc.text[:200]}", permanent=exc.status in DISCORD_PERMANENT,
        fix=fix,
    )
