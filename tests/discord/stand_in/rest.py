"""Discord's REST API, the part discord.py calls for this bot, refusing what Discord refuses.

Login, gateway discovery and command registration are here; interactions are answered
through ``webhooks``. Every refusal is answered with Discord's status and error JSON and
also recorded in ``DiscordStandIn.refusals``, so a test fails even when the bot swallows
the HTTP error.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.discord.stand_in import commands
from tests.discord.stand_in.state import APP_ID, BOT_TOKEN, BOT_USER, snowflake
from tests.discord.stand_in.webhooks import Webhooks
from tests.discord.stand_in.wire import Refusal, answer, as_json, error, read_body

if TYPE_CHECKING:
    from tests.discord.stand_in import DiscordStandIn

COMMANDS = "/applications/{application_id}/commands"


class Rest:
    def __init__(self, stand_in: DiscordStandIn) -> None:
        self.s = stand_in
        self.webhooks = Webhooks(stand_in)

    def routes(self) -> list[web.RouteDef]:
        api = "/api/v10"
        return [
            web.get(api + "/gateway/bot", self.gateway_bot),
            web.get(api + "/users/@me", self.me),
            web.get(api + "/oauth2/applications/@me", self.application),
            web.put(api + COMMANDS, self.put_commands),
            web.get(api + COMMANDS, self.get_commands),
            *self.webhooks.routes(api),
            web.route("*", "/{tail:.*}", self.unknown),
        ]

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except Refusal as refusal:
            self.s.refusals.append(
                f"{request.method} {request.path}: {refusal.status} {json.dumps(refusal.body)}")
            return as_json(refusal.body, refusal.status)
        except Exception as exc:  # the stand-in's own bug: a 500 that discord.py retries
            self.s.faults.append(f"{request.method} {request.path}: {exc!r}")
            raise
        finally:
            self.s.changed()
        return response

    def _bot(self, request: web.Request) -> None:
        if request.headers.get("Authorization") != f"Bot {BOT_TOKEN}":
            raise error(401, 0, "401: Unauthorized")
        if not request.headers.get("User-Agent", "").startswith("DiscordBot ("):
            # Documented for bot requests (reference.mdx#user-agent); others may be blocked.
            raise error(400, 0, "User-Agent must be DiscordBot (url, version)")

    # --- login and gateway discovery

    async def gateway_bot(self, request: web.Request) -> web.Response:
        self._bot(request)
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        body = {"url": self.s.gateway_url, "shards": 1, "session_start_limit": limit}
        return answer(self.s.faults, request, "/gateway/bot", body)

    async def me(self, request: web.Request) -> web.Response:
        self._bot(request)
        return answer(self.s.faults, request, "/users/@me",
                            BOT_USER | {"mfa_enabled": False, "locale": "en-US"})

    async def application(self, request: web.Request) -> web.Response:
        self._bot(request)
        owner = {"id": "1500000000000000001", "username": "owner", "discriminator": "0",
                 "avatar": None, "global_name": "Owner", "public_flags": 0, "flags": 0,
                 "primary_guild": None}
        body = {
            "id": str(APP_ID), "name": "togglbot", "icon": None, "description": "",
            "type": None, "verify_key": "0" * 64, "flags": self.s.app_flags,
            "flags_new": str(self.s.app_flags), "redirect_uris": [],
            "interactions_endpoint_url": None, "role_connections_verification_url": None,
            "owner": owner, "approximate_guild_count": 1, "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0, "explicit_content_filter": 0,
            "team": None, "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "bot_public": True, "bot_require_code_grant": False, "bot": BOT_USER,
            "rpc_origins": [], "tags": [], "summary": "",
        }
        return answer(self.s.faults, request, "/oauth2/applications/@me", body)

    # --- commands

    async def put_commands(self, request: web.Request) -> web.Response:
        self._bot(request)
        self._own_app(request.match_info["application_id"])
        body = (await read_body(request, COMMANDS, "put"))[0]
        problem = commands.check(body)
        if problem:
            raise Refusal(400, problem)
        previous = {(c["type"], c["name"]): c["id"] for c in self.s.commands}
        self.s.commands = [
            {"id": previous.get((c.get("type") or 1, c["name"])) or snowflake(),
             "application_id": str(APP_ID), "description": "",  # "" for menu commands
             "version": snowflake(), "default_member_permissions": None, "type": 1,
             "nsfw": False, "dm_permission": True, "contexts": None, "integration_types": [0]}
            | {k: v for k, v in c.items() if v is not None}
            for c in body
        ]
        self.s.registrations += 1
        return answer(self.s.faults, request, COMMANDS, self.s.commands)

    async def get_commands(self, request: web.Request) -> web.Response:
        self._bot(request)
        self._own_app(request.match_info["application_id"])
        return answer(self.s.faults, request, COMMANDS, self.s.commands)

    def _own_app(self, application_id: str) -> None:
        if application_id != str(APP_ID):
            raise error(403, 20012,
                        "You are not authorized to perform this action on this application")

    # --- interactions

    async def unknown(self, request: web.Request) -> web.Response:
        raise error(404, 0, f"404: Not Found (the stand-in does not serve {request.path})")

    # --- bodies
