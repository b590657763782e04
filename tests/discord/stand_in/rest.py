"""Discord's REST API, the part discord.py calls for this bot, refusing what Discord refuses.

Every refusal is answered with Discord's status and error JSON and also recorded in
``StandIn.refusals``, so a test fails even when the bot swallows the HTTP error.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.discord.stand_in import commands, spec
from tests.discord.stand_in.state import (
    ACK_WITHIN,
    APP_ID,
    BOT_TOKEN,
    BOT_USER,
    EPHEMERAL,
    LOADING,
    TOKEN_LIFETIME,
    Exchange,
    Message,
    snowflake,
)

if TYPE_CHECKING:
    from tests.discord.stand_in import DiscordStandIn

SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2 = 4, 4096, 8192, 32768
CREATE_FLAGS = (SUPPRESS_EMBEDS | EPHEMERAL | IS_COMPONENTS_V2 | IS_VOICE_MESSAGE
                | SUPPRESS_NOTIFICATIONS)
FOLLOWUP_FLAGS = SUPPRESS_EMBEDS | EPHEMERAL | IS_COMPONENTS_V2 | SUPPRESS_NOTIFICATIONS
EDIT_FLAGS = SUPPRESS_EMBEDS | IS_COMPONENTS_V2
EMBEDS_TOTAL_MAX = 6000
# Which callback types answer which interaction type (receiving-and-responding.mdx).
CALLBACKS = {2: {4, 5, 9, 12}, 3: {4, 5, 6, 7, 9, 12}, 4: {8}, 5: {4, 5, 6, 7}}
PATHS = {
    "callback": "/interactions/{interaction_id}/{interaction_token}/callback",
    "webhook": "/webhooks/{webhook_id}/{webhook_token}",
    "original": "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
    "message": "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
    "commands": "/applications/{application_id}/commands",
}


def as_json(body: Any, status: int = 200) -> web.Response:
    # Exactly "application/json", as Discord sends it: discord.py compares the header.
    return web.Response(body=json.dumps(body).encode(), status=status,
                        headers={"Content-Type": "application/json"})


class Refusal(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.status, self.body = status, body


def error(status: int, code: int, message: str) -> Refusal:
    return Refusal(status, {"message": message, "code": code})


def form(where: list[str], code: str, message: str) -> Refusal:
    return Refusal(400, spec.form_error(where, code, message))


UNKNOWN_INTERACTION = (404, 10062, "Unknown interaction")
UNKNOWN_WEBHOOK = (404, 10015, "Unknown Webhook")
UNKNOWN_MESSAGE = (404, 10008, "Unknown Message")
INVALID_WEBHOOK_TOKEN = (401, 50027, "Invalid Webhook Token")


class Rest:
    def __init__(self, stand_in: DiscordStandIn) -> None:
        self.s = stand_in

    def routes(self) -> list[web.RouteDef]:
        api = "/api/v10"
        return [
            web.get(api + "/gateway/bot", self.gateway_bot),
            web.get(api + "/users/@me", self.me),
            web.get(api + "/oauth2/applications/@me", self.application),
            web.put(api + "/applications/{application_id}/commands", self.put_commands),
            web.get(api + "/applications/{application_id}/commands", self.get_commands),
            web.post(api + PATHS["callback"], self.callback),
            web.post(api + PATHS["webhook"], self.followup),
            web.route("*", api + PATHS["original"], self.message),
            web.route("*", api + PATHS["message"], self.message),
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
        finally:
            self.s.changed()
        return response

    def _answer(self, request: web.Request, path: str, body: Any, status: int = 200
                ) -> web.Response:
        problem = spec.response_problem(path, request.method.lower(), status, body)
        if problem:
            self.s.faults.append(problem)  # the stand-in's bug, not the bot's
        return as_json(body, status)

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
        return self._answer(request, "/gateway/bot", body)

    async def me(self, request: web.Request) -> web.Response:
        self._bot(request)
        return self._answer(request, "/users/@me",
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
        return self._answer(request, "/oauth2/applications/@me", body)

    # --- commands

    async def put_commands(self, request: web.Request) -> web.Response:
        self._bot(request)
        self._own_app(request.match_info["application_id"])
        body = await self._json(request, PATHS["commands"], "put")
        problem = commands.check(body)
        if problem:
            raise Refusal(400, problem)
        previous = {c["name"]: c["id"] for c in self.s.commands}
        self.s.commands = [
            {"id": previous.get(c["name"]) or snowflake(), "application_id": str(APP_ID),
             "version": snowflake(), "default_member_permissions": None, "type": 1,
             "nsfw": False, "dm_permission": True, "contexts": None, "integration_types": [0]}
            | {k: v for k, v in c.items() if v is not None}
            for c in body
        ]
        self.s.registrations += 1
        return self._answer(request, PATHS["commands"], self.s.commands)

    async def get_commands(self, request: web.Request) -> web.Response:
        self._bot(request)
        self._own_app(request.match_info["application_id"])
        return self._answer(request, PATHS["commands"], self.s.commands)

    def _own_app(self, application_id: str) -> None:
        if application_id != str(APP_ID):
            raise error(403, 20012,
                        "You are not authorized to perform this action on this application")

    # --- interactions

    async def callback(self, request: web.Request) -> web.StreamResponse:
        ex = self.s.exchanges.get(request.match_info["interaction_id"])
        if ex is None or ex.token != request.match_info["interaction_token"]:
            raise error(*UNKNOWN_INTERACTION)
        if ex.callback is not None:
            raise error(400, 40060, "Interaction has already been acknowledged.")
        if self.s.clock() - ex.sent_at > ACK_WITHIN:
            raise error(*UNKNOWN_INTERACTION)  # the token was invalidated after 3 s
        body, files = await self._body(request, PATHS["callback"], "post")
        kind, data = body["type"], body.get("data") or {}
        if kind not in CALLBACKS[ex.payload["type"]] or (
                kind in (6, 7) and "message" not in ex.payload):
            raise form(["type"], "INTERACTION_RESPONSE_TYPE_INVALID",
                       f"Callback type {kind} does not answer interaction type "
                       f"{ex.payload['type']}")
        allowed = {4: CREATE_FLAGS, 5: EPHEMERAL, 6: 0, 7: EDIT_FLAGS}.get(kind, 0)
        self._flags(data, allowed, ["data", "flags"])
        if kind == 4:
            self._message(data, files, ["data"], create=True)
            ex.original = self.s.store(Message(snowflake(), data.get("flags") or 0,
                                               self._content(data, files), ex.payload, ex.opener))
        elif kind == 5:
            ex.original = self.s.store(Message(snowflake(), (data.get("flags") or 0) | LOADING,
                                               {}, ex.payload, ex.opener))
        elif kind in (6, 7):
            ex.original = self.s.messages[ex.payload["message"]["id"]]
            if kind == 7:
                self._message(data, files, ["data"], create=False)
                self._edit(ex.original, data, files)
        elif kind == 8:
            self._choices(ex, data)
        elif kind == 9:
            self._modal(data)
        ex.callback = body
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        interaction: dict[str, Any] = {"id": ex.id, "type": ex.payload["type"]}
        answer: dict[str, Any] = {"interaction": interaction}
        if ex.original is not None:
            interaction |= {"response_message_id": ex.original.id,
                            "response_message_loading": ex.original.loading,
                            "response_message_ephemeral": ex.original.ephemeral}
            if kind in (4, 7):
                answer["resource"] = {"type": kind, "message": ex.original.json()}
        return self._answer(request, PATHS["callback"], answer)

    def _choices(self, ex: Exchange, data: dict[str, Any]) -> None:
        focused = _focused(ex.payload["data"])
        for index, choice in enumerate(data.get("choices") or []):
            if not isinstance(choice["value"], str if focused["type"] == 3 else (int, float)):
                raise form(["data", "choices", str(index), "value"], "BASE_TYPE_BAD_TYPE",
                           "Choice value does not match the option's type")

    def _modal(self, data: dict[str, Any]) -> None:
        ids = [_input(c)["custom_id"] for c in data["components"] if _input(c)]
        if len(ids) != len(set(ids)):
            raise form(["data", "components"], "COMPONENT_CUSTOM_ID_DUPLICATED",
                       "Component custom id cannot be duplicated")

    # --- follow-ups and the original response

    def _exchange(self, request: web.Request) -> Exchange:
        if request.match_info["webhook_id"] != str(APP_ID):
            raise error(*UNKNOWN_WEBHOOK)
        ex = self.s.by_token.get(request.match_info["webhook_token"])
        if ex is None or self.s.clock() - ex.sent_at > TOKEN_LIFETIME:
            raise error(*INVALID_WEBHOOK_TOKEN)
        if ex.callback is None:
            raise error(*UNKNOWN_WEBHOOK)  # the webhook exists once the interaction is answered
        return ex

    async def followup(self, request: web.Request) -> web.Response:
        ex = self._exchange(request)
        body, files = await self._body(request, PATHS["webhook"], "post")
        self._flags(body, FOLLOWUP_FLAGS, ["flags"])
        self._message(body, files, [], create=True)
        original = ex.original
        if ex.type == 5 and original is not None and original.loading:
            # Discord edits the "thinking…" message instead, ignoring the ephemeral flag.
            ex.deprecated.append("a follow-up right after a deferred response edits the "
                                 "loading message; Discord asks for PATCH @original instead")
            self._edit(original, body, files)
            ex.edits += 1
            return self._answer(request, PATHS["webhook"], original.json())
        message = self.s.store(Message(snowflake(), body.get("flags") or 0,
                                       self._content(body, files), ex.payload, ex.opener))
        ex.followups.append(message)
        return self._answer(request, PATHS["webhook"], message.json())

    async def message(self, request: web.Request) -> web.StreamResponse:
        ex = self._exchange(request)
        wanted = request.match_info.get("message_id", "@original")
        found = ex.original if wanted == "@original" else next(
            (m for m in ex.messages if m.id == wanted), None)
        if found is None or found.id not in self.s.messages:
            raise error(*UNKNOWN_MESSAGE)
        path = PATHS["original" if wanted == "@original" else "message"]
        if request.method == "GET":
            return self._answer(request, path, found.json())
        if request.method == "DELETE":
            del self.s.messages[found.id]
            return web.Response(status=204)
        if request.method != "PATCH":
            raise error(405, 0, "405: Method Not Allowed")
        body, files = await self._body(request, path, "patch")
        if "flags" in body and (body["flags"] or 0) & ~EDIT_FLAGS:
            raise form(["flags"], "MESSAGE_FLAGS_INVALID",
                       "Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can be set when editing")
        self._message(body, files, [], create=False)
        self._edit(found, body, files)
        ex.edits += 1
        return self._answer(request, path, found.json())

    async def unknown(self, request: web.Request) -> web.Response:
        raise error(404, 0, f"404: Not Found (the stand-in does not serve {request.path})")

    # --- bodies

    async def _json(self, request: web.Request, path: str, method: str) -> Any:
        body, _ = await self._body(request, path, method)
        return body

    async def _body(self, request: web.Request, path: str, method: str
                    ) -> tuple[Any, dict[str, int]]:
        """The JSON body (or multipart ``payload_json``) after schema validation, and the
        uploaded files' names and sizes."""
        files: dict[str, int] = {}
        if request.content_type == "multipart/form-data":
            body: Any = None
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":  # type: ignore[union-attr]
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                elif part.filename:  # type: ignore[union-attr]
                    files[part.filename] = len(await part.read())  # type: ignore[union-attr]
        elif request.content_type == "application/json":
            try:
                body = await request.json()
            except json.JSONDecodeError:
                raise error(400, 50109, "The request body contains invalid JSON.") from None
        else:
            raise error(400, 50035, "Invalid Form Body (no JSON content type)")
        problem = spec.request_error(path, method, body)
        if problem:
            raise Refusal(400, problem)
        return body, files

    def _flags(self, body: dict[str, Any], allowed: int, where: list[str]) -> None:
        if (body.get("flags") or 0) & ~allowed:
            raise form(where, "MESSAGE_FLAGS_INVALID",
                       f"Flags {body['flags']} are not allowed here (allowed: {allowed})")

    def _message(self, body: dict[str, Any], files: dict[str, int], where: list[str],
                 *, create: bool) -> None:
        if create and not any(body.get(k) for k in ("content", "embeds", "components",
                                                    "poll")) and not files:
            raise error(400, 50006, "Cannot send an empty message")
        total = sum(_embed_size(e) for e in body.get("embeds") or [])
        if total > EMBEDS_TOTAL_MAX:
            raise form([*where, "embeds"], "MAX_EMBED_SIZE_EXCEEDED",
                       "Embed size exceeds maximum size of 6000")
        ids = [c.get("custom_id") for row in body.get("components") or []
               for c in row.get("components") or [] if c.get("custom_id")]
        if len(ids) != len(set(ids)):
            raise form([*where, "components"], "COMPONENT_CUSTOM_ID_DUPLICATED",
                       "Component custom id cannot be duplicated")
        for index, row in enumerate(body.get("components") or []):
            for item in row.get("components") or []:
                link = item.get("style") == 5
                if item.get("type") == 2 and link == bool(item.get("custom_id")):
                    raise form([*where, "components", str(index)], "BUTTON_COMPONENT_INVALID",
                               "A link button has a url and no custom_id; others the reverse")
        for image in _attachment_refs(body):
            if image not in files and image not in _kept(body):
                raise form([*where, "embeds"], "EMBED_ATTACHMENT_UNKNOWN",
                           f"attachment://{image} names no uploaded file")

    def _content(self, body: dict[str, Any], files: dict[str, int]) -> dict[str, Any]:
        kept = {k: body[k] for k in ("content", "embeds", "components") if body.get(k)}
        kept["attachments"] = [
            {"id": snowflake(), "filename": name, "size": size,
             "url": f"{self.s.url}/attachments/{name}", "proxy_url": f"{self.s.url}/p/{name}"}
            for name, size in files.items()
        ]
        return kept

    def _edit(self, message: Message, body: dict[str, Any], files: dict[str, int]) -> None:
        new = self._content(body, files)
        for key in ("content", "embeds", "components"):
            if key in body:
                message.body[key] = body[key]
        if "attachments" in body or files:
            keep = {str(a.get("id")) for a in body.get("attachments") or []}
            old = [a for a in message.body.get("attachments", []) if a["id"] in keep]
            message.body["attachments"] = old + new["attachments"]
        message.flags &= ~LOADING
        message.edited = True


def _focused(data: dict[str, Any]) -> dict[str, Any]:
    for option in data.get("options") or []:
        if option.get("focused"):
            return option
        if option.get("options"):
            found = _focused(option)
            if found:
                return found
    return {}


def _input(component: dict[str, Any]) -> dict[str, Any]:
    if component["type"] == 18:
        return dict(component["component"])
    inner = component.get("components") or [{}]
    return dict(inner[0]) if component["type"] == 1 else {}


def _embed_size(embed: dict[str, Any]) -> int:
    parts = [embed.get("title"), embed.get("description"), (embed.get("footer") or {}).get("text"),
             (embed.get("author") or {}).get("name")]
    parts += [f.get(k) for f in embed.get("fields") or [] for k in ("name", "value")]
    return sum(len(p or "") for p in parts)


def _attachment_refs(body: dict[str, Any]) -> list[str]:
    urls = [(e.get(k) or {}).get("url") or "" for e in body.get("embeds") or []
            for k in ("image", "thumbnail")]
    return [u.removeprefix("attachment://") for u in urls if u.startswith("attachment://")]


def _kept(body: dict[str, Any]) -> set[str]:
    return {a.get("filename") or "" for a in body.get("attachments") or []}
