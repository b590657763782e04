"""A local Discord: REST API and gateway, built from Discord's published API description.

discord.py talks to it through its real HTTP and websocket code (``discord.http.Route.BASE``
points here; the gateway URL comes from ``GET /gateway/bot``). A test plays the person:
``slash``, ``typing``, ``click`` and ``submit`` dispatch INTERACTION_CREATE events shaped as
Discord documents them, built from the commands the bot registered, and return the
``Exchange``: what the bot answered. What Discord would refuse is refused here too and kept
in ``refusals``; a test should end with none.

Checked: every request body against Discord's OpenAPI schema (``openapi.json``), with
Discord's 50035 error naming the field; one callback per interaction (40060), within 3 s
(10062), of a type that fits the interaction, with only the flags that type allows; the
webhook only after the first answer (10015), for 15 minutes (50027), its messages known
(10008); no ephemeral flag in edits; empty messages, embeds over 6,000 characters,
duplicate custom_ids, link/custom buttons mixed up, ``attachment://`` names never uploaded;
command registration (names, lowercase, 25 per level, 1-100 character descriptions,
required options first, choices xor autocomplete, 8,000 characters, duplicates); the
gateway's v=10, JSON, zlib-stream, IDENTIFY (token, properties, intents, privileged
intents, shard) and RESUME, with Discord's close codes. A follow-up right after a defer is
served as Discord serves it and marked deprecated. The stand-in's own answers and the
interactions it sends are checked against the spec's object schemas (``faults``).

Not modelled: rate limits (no 429s, no X-RateLimit headers), heartbeat timeouts and
RECONNECT, gateway payload rate limits, permissions, message content rules (mentions,
markdown), attachment size limits, select menus and other component types, localisation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.discord.stand_in import commands
from tests.discord.stand_in.gateway import Gateway, Session
from tests.discord.stand_in.rest import Rest
from tests.discord.stand_in.state import (
    APP_ID,
    BOT_TOKEN,
    CHANNEL_ID,
    GUILD_ID,
    Clock,
    Exchange,
    Message,
    interaction_problems,
    interaction_token,
    snowflake,
    user,
)

__all__ = ["APP_ID", "BOT_TOKEN", "DiscordStandIn", "Exchange", "Message"]

SETTLE_TIMEOUT = 10.0  # generous: a failing test waits this long, a passing one never does
GUILD_PERMISSIONS = "2248473465835073"
DM_APP_PERMISSIONS = str((1 << 15) | (1 << 14) | (1 << 17) | (1 << 18))


class DiscordStandIn:
    def __init__(self) -> None:
        self.clock = Clock()
        self.exchanges: dict[str, Exchange] = {}
        self.by_token: dict[str, Exchange] = {}
        self.messages: dict[str, Message] = {}
        self.commands: list[dict[str, Any]] = []
        self.registrations = 0
        self.refusals: list[str] = []  # what Discord would have refused, as sent
        self.faults: list[str] = []  # the stand-in's own answers that break Discord's schema
        self.app_flags = 0  # no privileged intent approved
        self.approved_intents = 0
        self.url = ""
        self.gateway = Gateway(self)
        self._rest = Rest(self)
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()

    @property
    def api(self) -> str:
        return f"{self.url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/gateway"

    @property
    def sessions(self) -> list[Session]:
        return self.gateway.sessions

    async def start(self) -> None:
        app = web.Application(middlewares=[self._rest.middleware])
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_routes(self._rest.routes())
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def changed(self) -> None:
        """Wakes whoever waits for the bot (called after every request and socket event)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, done: Callable[[], bool], what: str) -> None:
        """Until ``done()``; fails the test (with the refusals) if the bot never gets there."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT
        refused = len(self.refusals)
        while not done():
            if len(self.refusals) > refused:
                raise AssertionError(f"Discord would refuse: {self.refusals[refused:]}")
            try:
                await asyncio.wait_for(self._changed.wait(), deadline - loop.time())
            except TimeoutError:
                raise AssertionError(f"the bot never {what}; refusals: {self.refusals}") from None

    async def connected(self) -> Session:
        await self.wait_for(lambda: self.gateway.current is not None, "got READY")
        session = self.gateway.current
        assert session is not None
        return session

    def store(self, message: Message) -> Message:
        self.messages[message.id] = message
        return message

    # --- playing the person

    async def slash(self, path: str, *, user_id: int, dm: bool = False, wait: bool = True,
                    own_install: bool = False, **options: Any) -> Exchange:
        """``/toggl start description:…``: pass ``path="toggl start"`` and Discord's names;
        ``wait=False`` returns as soon as it is sent. ``own_install``: the person added the
        app to their account, and uses it in a server without the app (or, with ``dm``, a
        DM with someone else)."""
        context, integration = _where(dm, own_install)
        data = commands.invoke(self.commands, path, options, context=context,
                               integration=integration)
        return await self.send(2, data, user_id, dm=dm, wait=wait, own_install=own_install)

    async def message_command(self, name: str, content: str, *, user_id: int,
                              author_id: int, dm: bool = False,
                              own_install: bool = False) -> Exchange:
        """Apps -> ``name`` on a message ``author_id`` wrote (``content``)."""
        context, integration = _where(dm, own_install)
        target = person_message(content, author_id)
        data = commands.invoke_menu(self.commands, name, target, context, integration)
        return await self.send(2, data, user_id, dm=dm, own_install=own_install)

    async def typing(self, path: str, focused: str, typed: str, *, user_id: int,
                     **options: Any) -> list[dict[str, Any]]:
        """Autocomplete while ``typed`` is in ``focused``; returns the choices shown."""
        data = commands.invoke(self.commands, path, {**options, focused: typed}, focused)
        exchange = await self.send(4, data, user_id)
        assert exchange.type == 8, exchange.callback
        return list((exchange.callback or {})["data"].get("choices") or [])

    async def click(self, message: Message, label: str, *, user_id: int) -> Exchange:
        """Clicks the button labelled ``label`` on ``message``, as ``user_id`` sees it."""
        if message.id not in self.messages:
            raise commands.Refused("that message was deleted")
        if message.viewer is not None and message.viewer != str(user_id):
            raise commands.Refused("an ephemeral message is seen only by its recipient")
        buttons = [c for row in message.body.get("components") or []
                   for c in row["components"] if c.get("label") == label]
        if len(buttons) != 1 or buttons[0].get("disabled") or not buttons[0].get("custom_id"):
            raise commands.Refused(f"no single clickable button {label!r} on that message")
        data = {"custom_id": buttons[0]["custom_id"], "component_type": 2}
        return await self.send(3, data, user_id, message=message)

    async def submit(self, opened: Exchange, values: list[str] | dict[str, str], *,
                     user_id: int) -> Exchange:
        """Submits the form ``opened`` answered with: ``values`` in the order of its fields,
        or by label or custom_id."""
        assert opened.type == 9, opened.callback
        modal = (opened.callback or {})["data"]
        sent = []
        for index, row in enumerate(modal["components"]):
            field = row["component"] if row["type"] == 18 else row["components"][0]
            if isinstance(values, list):
                value = values[index] if index < len(values) else ""
            else:
                value = values.get(row.get("label", ""), values.get(field["custom_id"], ""))
            if not (field.get("min_length", 0) <= len(value) <= field.get("max_length", 4000)):
                raise commands.Refused(f"{field['custom_id']}: Discord's form won't submit that")
            if field.get("required", True) and not value:
                raise commands.Refused(f"{field['custom_id']} is required")
            answer = {"type": 4, "id": 2 * index + 2, "custom_id": field["custom_id"],
                      "value": value}
            sent.append({"type": 18, "id": 2 * index + 1, "component": answer}
                        if row["type"] == 18 else {"type": 1, "id": 2 * index + 1,
                                                   "components": [answer]})
        data = {"custom_id": modal["custom_id"], "components": sent}
        message = opened.payload.get("message")
        return await self.send(5, data, user_id, opener=opened.payload,
                               message=self.messages.get(message["id"]) if message else None)

    def pending(self, kind: int, data: dict[str, Any], user_id: int, *, dm: bool = False,
                message: Message | None = None, own_install: bool = False) -> Exchange:
        """An interaction as if just dispatched, without a gateway: for testing the REST rules."""
        payload = interaction(kind, data, user_id, dm=dm, message=message,
                              own_install=own_install)
        self.faults += interaction_problems(payload)
        exchange = Exchange(payload, self.clock())
        self.exchanges[exchange.id] = self.by_token[exchange.token] = exchange
        return exchange

    async def send(self, kind: int, data: dict[str, Any], user_id: int, *, dm: bool = False,
                   message: Message | None = None, opener: dict[str, Any] | None = None,
                   wait: bool = True, own_install: bool = False) -> Exchange:
        """Dispatches an INTERACTION_CREATE and waits until the bot has answered it."""
        session = await self.connected()
        if opener is not None:  # a form's submission comes from where the form was opened
            own_install = "0" not in opener.get("authorizing_integration_owners", {})
            dm = "guild_id" not in opener
        exchange = self.pending(kind, data, user_id, dm=dm, message=message,
                                own_install=own_install)
        exchange.opener = opener
        await session.dispatch("INTERACTION_CREATE", exchange.payload)
        if wait:
            await self.wait_for(lambda: exchange.settled, f"answered interaction {kind}")
        return exchange


def _where(dm: bool, own_install: bool) -> tuple[int, int]:
    """The interaction context and the integration type that authorizes it."""
    if own_install:
        return (commands.PRIVATE_CHANNEL if dm else commands.GUILD), commands.USER_INSTALL
    return (commands.BOT_DM if dm else commands.GUILD), commands.GUILD_INSTALL


def person_message(content: str, author_id: int) -> dict[str, Any]:
    """A message someone (not the bot) wrote in the channel, as Discord returns it."""
    return {
        "id": snowflake(), "channel_id": str(CHANNEL_ID), "type": 0,
        "author": user(author_id, f"user{author_id}"[-12:]), "content": content,
        "embeds": [], "components": [], "attachments": [], "mentions": [],
        "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
        "timestamp": "2026-11-24T09:00:00+00:00", "edited_timestamp": None, "flags": 0,
    }


def interaction(kind: int, data: dict[str, Any], user_id: int, *, dm: bool = False,
                message: Message | None = None, own_install: bool = False) -> dict[str, Any]:
    """An interaction as the gateway delivers it (receiving-and-responding.mdx).

    ``own_install``: authorized by the person's own install (integration type 1): in a
    server without the app (context 0, only the app's default permissions) or a DM with
    someone else (context 2)."""
    person = user(user_id, f"user{user_id}"[-12:])
    payload: dict[str, Any] = {
        "id": snowflake(), "application_id": str(APP_ID), "type": kind, "data": data,
        "token": interaction_token(), "version": 1, "locale": "en-US",
        "entitlements": [], "attachment_size_limit": 10 * 1024 * 1024,
        "channel_id": str(CHANNEL_ID),
    }
    if dm:
        payload |= {
            "user": person, "context": 2 if own_install else 1,
            "app_permissions": DM_APP_PERMISSIONS,
            "channel": {"id": str(CHANNEL_ID), "type": 1, "flags": 0, "recipients": [person]},
            "authorizing_integration_owners": {"1": str(user_id)} if own_install
            else {"0": "0"},
        }
    else:
        payload |= {
            "guild_id": str(GUILD_ID), "context": 0, "app_permissions": GUILD_PERMISSIONS,
            "guild": {"id": str(GUILD_ID), "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "channel": {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID),
                        "name": "general", "position": 0, "permission_overwrites": [],
                        "nsfw": False, "flags": 0, "parent_id": None,
                        "rate_limit_per_user": 0, "topic": None},
            "member": {"user": person, "roles": [], "joined_at": "2026-01-01T00:00:00+00:00",
                       "deaf": False, "mute": False, "flags": 0, "pending": False,
                       "nick": None, "avatar": None, "banner": None, "premium_since": None,
                       "communication_disabled_until": None, "permissions": GUILD_PERMISSIONS},
            "authorizing_integration_owners": {"1": str(user_id)} if own_install
            else {"0": str(GUILD_ID)},
        }
    if message is not None:
        payload["message"] = message.json()
    return payload
