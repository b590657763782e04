"""Interaction callbacks, follow-ups and the original response (receiving-and-responding.mdx).

An interaction is answered once, within 3 seconds, with a callback type that fits it; its
token then works for 15 minutes for follow-ups and edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.discord.stand_in import messages
from tests.discord.stand_in.messages import CREATE_FLAGS, EDIT_FLAGS, FOLLOWUP_FLAGS
from tests.discord.stand_in.state import (
    ACK_WITHIN,
    APP_ID,
    EPHEMERAL,
    LOADING,
    TOKEN_LIFETIME,
    Exchange,
    Message,
    snowflake,
)
from tests.discord.stand_in.wire import (
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    answer,
    error,
    form,
    read_body,
)

if TYPE_CHECKING:
    from tests.discord.stand_in import DiscordStandIn

# Which callback types answer which interaction type.
CALLBACKS = {2: {4, 5, 9, 12}, 3: {4, 5, 6, 7, 9, 12}, 4: {8}, 5: {4, 5, 6, 7}}
PATHS = {
    "callback": "/interactions/{interaction_id}/{interaction_token}/callback",
    "webhook": "/webhooks/{webhook_id}/{webhook_token}",
    "original": "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
    "message": "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
}


class Webhooks:
    def __init__(self, stand_in: DiscordStandIn) -> None:
        self.s = stand_in

    def routes(self, api: str) -> list[web.RouteDef]:
        return [
            web.post(api + PATHS["callback"], self.callback),
            web.post(api + PATHS["webhook"], self.followup),
            web.route("*", api + PATHS["original"], self.message),
            web.route("*", api + PATHS["message"], self.message),
        ]

    async def callback(self, request: web.Request) -> web.StreamResponse:
        ex = self.s.exchanges.get(request.match_info["interaction_id"])
        if ex is None or ex.token != request.match_info["interaction_token"]:
            raise error(*UNKNOWN_INTERACTION)
        if ex.callback is not None:
            raise error(400, 40060, "Interaction has already been acknowledged.")
        if self.s.clock() - ex.sent_at > ACK_WITHIN:
            raise error(*UNKNOWN_INTERACTION)  # the token was invalidated after 3 s
        body, files = await read_body(request, PATHS["callback"], "post")
        kind, data = body["type"], body.get("data") or {}
        if kind not in CALLBACKS[ex.payload["type"]] or (
                kind in (6, 7) and "message" not in ex.payload):
            raise form(["type"], "INTERACTION_RESPONSE_TYPE_INVALID",
                       f"Callback type {kind} does not answer interaction type "
                       f"{ex.payload['type']}")
        allowed = {4: CREATE_FLAGS, 5: EPHEMERAL, 6: 0, 7: EDIT_FLAGS}.get(kind, 0)
        messages.check_flags(data, allowed, ["data", "flags"])
        if kind == 4:
            messages.check(data, files, ["data"], create=True)
            ex.original = self._new(ex, data.get("flags") or 0,
                                    messages.content(data, files, self.s.url))
        elif kind == 5:
            ex.original = self._new(ex, (data.get("flags") or 0) | LOADING, {})
        elif kind in (6, 7):
            ex.original = self.s.messages[ex.payload["message"]["id"]]
            if kind == 7:
                messages.check(data, files, ["data"], create=False)
                messages.edit(ex.original, data, files, self.s.url)
        elif kind == 8:
            self._choices(ex, data)
        elif kind == 9:
            self._modal(data)
        ex.callback = body
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        interaction: dict[str, Any] = {"id": ex.id, "type": ex.payload["type"]}
        result: dict[str, Any] = {"interaction": interaction}
        if ex.original is not None:
            interaction |= {"response_message_id": ex.original.id,
                            "response_message_loading": ex.original.loading,
                            "response_message_ephemeral": ex.original.ephemeral}
            if kind in (4, 7):
                result["resource"] = {"type": kind, "message": ex.original.json()}
        return answer(self.s.faults, request, PATHS["callback"], result)

    def _new(self, ex: Exchange, flags: int, body: dict[str, Any]) -> Message:
        return self.s.store(Message(snowflake(), flags, body, ex.payload, ex.opener))

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
        body, files = await read_body(request, PATHS["webhook"], "post")
        messages.check_flags(body, FOLLOWUP_FLAGS, ["flags"])
        messages.check(body, files, [], create=True)
        original = ex.original
        if ex.type == 5 and original is not None and original.loading:
            # Discord edits the "thinking…" message instead, ignoring the ephemeral flag.
            ex.deprecated.append("a follow-up right after a deferred response edits the "
                                 "loading message; Discord asks for PATCH @original instead")
            messages.edit(original, body, files, self.s.url)
            ex.edits += 1
            return answer(self.s.faults, request, PATHS["webhook"], original.json())
        message = self._new(ex, body.get("flags") or 0,
                            messages.content(body, files, self.s.url))
        ex.followups.append(message)
        return answer(self.s.faults, request, PATHS["webhook"], message.json())

    async def message(self, request: web.Request) -> web.StreamResponse:
        ex = self._exchange(request)
        wanted = request.match_info.get("message_id", "@original")
        found = ex.original if wanted == "@original" else next(
            (m for m in ex.messages if m.id == wanted), None)
        if found is None or found.id not in self.s.messages:
            raise error(*UNKNOWN_MESSAGE)
        path = PATHS["original" if wanted == "@original" else "message"]
        if request.method == "GET":
            return answer(self.s.faults, request, path, found.json())
        if request.method == "DELETE":
            del self.s.messages[found.id]
            return web.Response(status=204)
        if request.method != "PATCH":
            raise error(405, 0, "405: Method Not Allowed")
        body, files = await read_body(request, path, "patch")
        if "flags" in body and (body["flags"] or 0) & ~EDIT_FLAGS:
            raise form(["flags"], "MESSAGE_FLAGS_INVALID",
                       "Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can be set when editing")
        messages.check(body, files, [], create=False)
        messages.edit(found, body, files, self.s.url)
        ex.edits += 1
        return answer(self.s.faults, request, path, found.json())


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
