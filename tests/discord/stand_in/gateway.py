"""Discord's gateway (v10, JSON, optional zlib-stream transport compression) for one bot.

Follows developers/events/gateway.mdx: HELLO, IDENTIFY or RESUME, heartbeats answered
with ACK, READY then GUILD_CREATE, then whatever the test dispatches. Protocol mistakes
close the socket with Discord's close code; the client's own close code is recorded.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.discord.stand_in.spec import object_problem
from tests.discord.stand_in.state import APP_ID, BOT_TOKEN, BOT_USER, CHANNEL_ID, GUILD_ID

if TYPE_CHECKING:
    from tests.discord.stand_in import DiscordStandIn

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME, RECONNECT = 0, 1, 2, 3, 6, 7
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
HEARTBEAT_INTERVAL_MS = 41_250
PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)  # GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT
ALL_INTENTS = (1 << 26) - 1


class Session:
    """One websocket connection; ``close_code`` is what the client closed it with."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self._zlib = zlib.compressobj() if compress else None
        self.seq = 0
        self.session_id: str | None = None
        self.identify: dict[str, Any] | None = None
        self.close_code: int | None = None
        self.closed_by_us: int | None = None
        self.heartbeats = 0
        self.resumed = False
        self.history: list[dict[str, Any]] = []
        self.ready = asyncio.Event()

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload)
        if self._zlib is None:
            await self.ws.send_str(text)
        else:  # zlib-stream: one shared context, each message ends with a sync flush
            await self.ws.send_bytes(self._zlib.compress(text.encode())
                                     + self._zlib.flush(zlib.Z_SYNC_FLUSH))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        payload = {"op": DISPATCH, "s": self.seq, "t": event, "d": data}
        self.history.append(payload)
        await self.send(payload)

    async def close(self, code: int, reason: str) -> None:
        self.closed_by_us = code
        await self.ws.close(code=code, message=reason.encode())


class Gateway:
    def __init__(self, stand_in: DiscordStandIn) -> None:
        self.s = stand_in
        self.sessions: list[Session] = []

    @property
    def current(self) -> Session | None:
        ready = [s for s in self.sessions if s.ready.is_set() and s.close_code is None]
        return ready[-1] if ready else None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        # Discord closes the connection on client payloads over 4096 bytes.
        ws = web.WebSocketResponse(max_msg_size=4096)
        await ws.prepare(request)
        query = request.query
        compress = query.get("compress")
        session = Session(ws, compress == "zlib-stream")
        self.sessions.append(session)
        if query.get("v") != "10":
            await session.close(4012, "Invalid API version")
        elif query.get("encoding", "json") != "json":
            await session.close(4002, "the stand-in speaks JSON only")
        elif compress not in (None, "zlib-stream"):
            await session.close(4002, f"unsupported compression {compress}")
        else:
            await session.send({"op": HELLO, "s": None, "t": None,
                                "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
            await self._receive(session)
        session.close_code = ws.close_code if ws.close_code is not None else 1006
        self.s.changed()
        return ws

    async def _receive(self, session: Session) -> None:
        async for message in session.ws:
            if message.type != WSMsgType.TEXT:
                # Clients send JSON text (discord.py does); binary would be ETF.
                await session.close(4002, "Decode error")
                return
            try:
                payload = json.loads(message.data)
                op, data = payload["op"], payload.get("d")
            except (ValueError, KeyError, TypeError):
                await session.close(4002, "Decode error")
                return
            if not await self._handle(session, op, data):
                return

    async def _handle(self, session: Session, op: int, data: Any) -> bool:
        if op == HEARTBEAT:
            session.heartbeats += 1
            await session.send({"op": HEARTBEAT_ACK, "s": None, "t": None, "d": None})
        elif op == IDENTIFY:
            return await self._identify(session, data)
        elif op == RESUME:
            return await self._resume(session, data)
        elif session.identify is None:
            await session.close(4003, "Not authenticated")
            return False
        elif op != PRESENCE:
            await session.close(4001, "Unknown opcode")
            return False
        return True

    async def _identify(self, session: Session, data: dict[str, Any]) -> bool:
        if session.identify is not None:
            await session.close(4005, "Already authenticated")
            return False
        if not isinstance(data, dict) or data.get("token") != BOT_TOKEN:
            await session.close(4004, "Authentication failed")
            return False
        properties = data.get("properties") or {}
        if not all(isinstance(properties.get(k), str) for k in ("os", "browser", "device")):
            await session.close(4002, "Decode error")
            return False
        intents = data.get("intents")
        if not isinstance(intents, int) or intents & ~ALL_INTENTS:
            await session.close(4013, "Invalid intent(s)")
            return False
        if intents & PRIVILEGED & ~self.s.approved_intents:
            await session.close(4014, "Disallowed intent(s)")
            return False
        shard = data.get("shard", [0, 1])
        if shard != [0, 1]:  # GET /gateway/bot said one shard
            await session.close(4010, "Invalid shard")
            return False
        session.identify = {k: v for k, v in data.items() if k != "token"}
        session.session_id = secrets.token_hex(16)
        await session.dispatch("READY", {
            "v": 10, "user": BOT_USER | {"verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": session.session_id, "resume_gateway_url": self.s.gateway_url,
            "shard": shard, "application": {"id": str(APP_ID), "flags": self.s.app_flags},
            "private_channels": [], "presences": [], "relationships": [],
            "guild_join_requests": [], "user_settings": {}, "geo_ordered_rtc_regions": [],
        })
        guild = _guild()
        self.s.faults += [p for p in [object_problem("GuildResponse", guild, "GUILD_CREATE")] if p]
        await session.dispatch("GUILD_CREATE", guild)
        session.ready.set()
        self.s.changed()
        return True

    async def _resume(self, session: Session, data: dict[str, Any]) -> bool:
        old = next((s for s in self.sessions if s.session_id == data.get("session_id")), None)
        if data.get("token") != BOT_TOKEN:
            await session.close(4004, "Authentication failed")
            return False
        if old is None or not isinstance(data.get("seq"), int) or data["seq"] > old.seq:
            await session.send({"op": INVALID_SESSION, "s": None, "t": None, "d": False})
            return True
        session.identify, session.session_id = old.identify, old.session_id
        session.seq, session.history = old.seq, old.history
        for payload in [p for p in old.history if p["s"] > data["seq"]]:
            await session.send(payload)
        session.resumed = True
        await session.dispatch("RESUMED", {})
        session.ready.set()
        self.s.changed()
        return True


def _guild() -> dict[str, Any]:
    everyone = {"id": str(GUILD_ID), "name": "@everyone", "permissions": "2248473465835073",
                "position": 0, "color": 0, "hoist": False, "managed": False,
                "mentionable": False, "flags": 0, "icon": None, "unicode_emoji": None,
                "colors": {"primary_color": 0, "secondary_color": None,
                           "tertiary_color": None}}
    channel = {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "general",
               "position": 0, "permission_overwrites": [], "nsfw": False, "topic": None,
               "rate_limit_per_user": 0, "parent_id": None, "flags": 0}
    me = {"user": BOT_USER, "roles": [], "joined_at": "2026-01-01T00:00:00+00:00",
          "deaf": False, "mute": False, "flags": 0, "nick": None, "avatar": None,
          "banner": None, "pending": False, "premium_since": None,
          "communication_disabled_until": None}
    return {
        "id": str(GUILD_ID), "name": "Stand-in server", "icon": None, "owner_id": "1",
        "afk_channel_id": None, "afk_timeout": 300, "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "roles": [everyone],
        "emojis": [], "stickers": [], "features": [], "mfa_level": 0, "system_channel_id": None,
        "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None,
        "description": None, "banner": None, "premium_tier": 0, "preferred_locale": "en-US",
        "public_updates_channel_id": None, "nsfw_level": 0, "premium_progress_bar_enabled": False,
        "joined_at": "2026-01-01T00:00:00+00:00", "large": False, "unavailable": False,
        "member_count": 3, "voice_states": [], "members": [me], "channels": [channel],
        "threads": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [],
        "soundboard_sounds": [], "lazy": True, "application_id": None, "home_header": None,
        "splash": None, "discovery_splash": None, "region": "deprecated",
        "widget_enabled": False, "widget_channel_id": None, "max_presences": None,
        "max_members": 25_000_000, "max_stage_video_channel_users": 50,
        "max_video_channel_users": 25, "premium_subscription_count": 0,
        "safety_alerts_channel_id": None, "nsfw": False, "incidents_data": None,
    }
