"""The Discord stand-in refuses what Discord refuses (so the end-to-end tests mean something).

Plain HTTP and websocket calls, no bot: each rule from Discord's documentation or OpenAPI
description gets one refused request and, where useful, the accepted one beside it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.discord.stand_in import APP_ID, BOT_TOKEN, DiscordStandIn
from tests.discord.stand_in.commands import Refused, invoke

ADA = 111111111111111111
BOT = {"Authorization": f"Bot {BOT_TOKEN}", "User-Agent": "DiscordBot (https://x, 1.0)"}
LOGIN = {"type": 4, "data": {"content": "hi", "flags": 64}}


@pytest.fixture
async def api() -> AsyncIterator[DiscordStandIn]:
    stand_in = DiscordStandIn()
    await stand_in.start()
    yield stand_in
    await stand_in.close()
    assert not stand_in.faults, stand_in.faults


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http: aiohttp.ClientSession, api: DiscordStandIn, method: str, path: str,
               body: Any = None, headers: dict[str, str] | None = None
               ) -> tuple[int, Any]:
    async with http.request(method, api.api + path, json=body, headers=headers) as response:
        text = await response.text()
        return response.status, json.loads(text) if text else None


def callback(api: DiscordStandIn, kind: int = 2, **data: Any) -> tuple[str, Any]:
    ex = api.pending(kind, data or {"id": "1", "name": "toggl", "type": 1}, ADA)
    return f"/interactions/{ex.id}/{ex.token}/callback", ex


def command(options: list[dict[str, Any]], **extra: Any) -> list[dict[str, Any]]:
    return [{"name": "toggl", "description": "Track time", "options": options} | extra]


def sub(name: str, options: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": 1, "name": name, "description": "A subcommand", "options": options or []}


def text(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "Some text"} | extra


class TestInteractionCallbacks:
    async def test_only_one_answer(self, api: DiscordStandIn, http: aiohttp.ClientSession
                                   ) -> None:
        path, _ = callback(api)
        assert (await call(http, api, "POST", path, LOGIN))[0] == 204
        status, body = await call(http, api, "POST", path, LOGIN)
        assert (status, body["code"]) == (400, 40060)
        assert body["message"] == "Interaction has already been acknowledged."

    async def test_only_within_three_seconds(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        path, _ = callback(api)
        api.clock.advance(3.1)
        status, body = await call(http, api, "POST", path, LOGIN)
        assert (status, body["code"]) == (404, 10062)

    async def test_a_schema_violation_gets_discords_form_error(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        path, _ = callback(api)
        status, body = await call(http, api, "POST", path,
                                  {"type": 4, "data": {"content": "x" * 2001}})
        assert (status, body["code"], body["message"]) == (400, 50035, "Invalid Form Body")
        assert body["errors"]["data"]["content"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
        assert api.refusals and "50035" in api.refusals[0]

    @pytest.mark.parametrize(("kind", "answer"), [(2, 8), (4, 4), (5, 9), (2, 6)])
    async def test_the_callback_type_must_fit_the_interaction(
        self, api: DiscordStandIn, http: aiohttp.ClientSession, kind: int, answer: int
    ) -> None:
        data = {"choices": []} if answer == 8 else {"content": "x"}
        if answer == 9:
            data = {"custom_id": "m", "title": "t", "components": [
                {"type": 18, "label": "L", "component": {"type": 4, "custom_id": "a", "style": 1}}]}
        path, _ = callback(api, kind, custom_id="c", components=[])
        status, body = await call(http, api, "POST", path, {"type": answer, "data": data})
        assert status == 400 and "type" in body["errors"], body

    async def test_a_defer_takes_only_the_ephemeral_flag(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        path, _ = callback(api)
        status, _ = await call(http, api, "POST", path, {"type": 5, "data": {"flags": 4}})
        assert status == 400

    async def test_no_empty_message_and_no_duplicate_custom_ids(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        path, _ = callback(api)
        assert (await call(http, api, "POST", path, {"type": 4, "data": {}}))[1]["code"] == 50006
        button = {"type": 2, "style": 1, "label": "a", "custom_id": "same"}
        row = {"type": 1, "components": [button, button | {"label": "b"}]}
        status, _ = await call(http, api, "POST", path,
                               {"type": 4, "data": {"content": "x", "components": [row]}})
        assert status == 400


class TestFollowUps:
    async def test_before_the_first_answer_the_webhook_is_unknown(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        _, ex = callback(api)
        status, body = await call(http, api, "POST", f"/webhooks/{APP_ID}/{ex.token}",
                                  {"content": "x"})
        assert (status, body["code"]) == (404, 10015)

    async def test_the_token_works_for_fifteen_minutes(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        path, ex = callback(api)
        await call(http, api, "POST", path, {"type": 5, "data": {"flags": 64}})
        hook = f"/webhooks/{APP_ID}/{ex.token}/messages/@original"
        api.clock.advance(14 * 60)
        assert (await call(http, api, "PATCH", hook, {"content": "done"}))[0] == 200
        api.clock.advance(2 * 60)
        status, body = await call(http, api, "PATCH", hook, {"content": "again"})
        assert (status, body["code"]) == (401, 50027)

    async def test_unknown_messages_and_editing_the_ephemeral_flag(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        path, ex = callback(api)
        await call(http, api, "POST", path, LOGIN)
        hook = f"/webhooks/{APP_ID}/{ex.token}/messages"
        status, body = await call(http, api, "GET", hook + "/1234")
        assert (status, body["code"]) == (404, 10008)
        status, _ = await call(http, api, "PATCH", hook + "/@original", {"flags": 64})
        assert status == 400

    async def test_a_follow_up_after_a_defer_is_flagged_as_deprecated(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        path, ex = callback(api)
        await call(http, api, "POST", path, {"type": 5, "data": {"flags": 64}})
        status, message = await call(http, api, "POST", f"/webhooks/{APP_ID}/{ex.token}",
                                     {"content": "done"})
        assert status == 200 and message["id"] == ex.original.id and message["flags"] == 64
        assert ex.deprecated and not ex.followups

    async def test_no_original_after_autocomplete(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        options = [{"type": 1, "name": "start", "options": [
            {"type": 3, "name": "project", "value": "W", "focused": True}]}]
        path, ex = callback(api, 4, id="1", name="toggl", type=1, options=options)
        too_many = [{"name": str(i), "value": str(i)} for i in range(26)]
        status, body = await call(http, api, "POST", path, {"type": 8, "data": {
            "choices": too_many}})
        assert "choices" in body["errors"]["data"], body
        assert (await call(http, api, "POST", path, {"type": 8, "data": {"choices": [
            {"name": "Website", "value": "Website"}]}}))[0] == 204
        status, body = await call(http, api, "GET",
                                  f"/webhooks/{APP_ID}/{ex.token}/messages/@original")
        assert (status, body["code"]) == (404, 10008)


class TestRegistration:
    async def put(self, http: aiohttp.ClientSession, api: DiscordStandIn,
                  commands: list[dict[str, Any]]) -> tuple[int, Any]:
        return await call(http, api, "PUT", f"/applications/{APP_ID}/commands", commands, BOT)

    async def test_a_valid_tree_is_stored_with_ids(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        status, body = await self.put(http, api, command([sub("start", [text("project")])]))
        assert status == 200 and body[0]["id"] and api.commands == body

    @pytest.mark.parametrize("commands", [
        command([sub(f"s{i}") for i in range(26)]),  # 25 per level
        command([sub("Start")]),  # lowercase
        command([sub("two words")]),  # the name pattern
        command([sub("start", [text("a"), text("b", required=True)])]),  # required first
        command([sub("start", [text("a", description="x" * 101)])]),  # 1-100 characters
        command([sub("start", [text("a", description="")])]),
        command([sub("start", [text("a", choices=[{"name": str(i), "value": str(i)}
                                                  for i in range(26)])])]),
        command([sub("start", [text("a", autocomplete=True, choices=[
            {"name": "x", "value": "x"}])])]),
        command([sub(f"s{i}", [text(f"o{j}", description="d" * 100) for j in range(4)])
                 for i in range(20)]),  # 8,000 characters in all
        command([sub("start"), text("loose")]),  # subcommands don't mix with options
        command([sub("start"), sub("start")]),
    ], ids=["26-subcommands", "uppercase", "space", "required-last", "long-description",
            "empty-description", "26-choices", "choices-and-autocomplete", "over-8000",
            "mixed-levels", "duplicate"])
    async def test_discord_refuses(self, api: DiscordStandIn, http: aiohttp.ClientSession,
                                   commands: list[dict[str, Any]]) -> None:
        status, body = await self.put(http, api, commands)
        assert (status, body["code"]) == (400, 50035), body
        assert api.commands == []

    async def test_the_error_names_the_field_as_discord_does(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        _, body = await self.put(http, api, command([sub("start", [
            text("a", description="x" * 101)])]))
        field = body["errors"]["0"]["options"]["0"]["options"]["0"]["description"]
        assert field["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"

    async def test_only_the_bot_may_register(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        status, _ = await call(http, api, "PUT", f"/applications/{APP_ID}/commands",
                               command([]), BOT | {"Authorization": "Bot wrong"})
        assert status == 401


class TestWhatAPersonCanSend:
    TREE = [{"id": "9", "name": "toggl", "type": 1, "contexts": [0], "options": [
        {"type": 1, "name": "summary", "options": [
            text("period", choices=[{"name": "week", "value": "week"}]),
            {"type": 5, "name": "billable", "description": "b"}]},
        {"type": 1, "name": "start", "options": [text("description", required=True),
                                                  text("project", autocomplete=True)]},
    ]}]

    def test_options_nest_under_their_subcommand(self) -> None:
        data = invoke(self.TREE, "toggl summary", {"period": "week"})
        assert data["options"] == [{"type": 1, "name": "summary", "options": [
            {"type": 3, "name": "period", "value": "week"}]}]

    @pytest.mark.parametrize(("path", "options", "focused", "context"), [
        ("toggl nope", {}, None, 0),
        ("toggl summary", {"period": "fortnight"}, None, 0),  # not a choice
        ("toggl summary", {"billable": "yes"}, None, 0),  # wrong type
        ("toggl summary", {"colour": "red"}, None, 0),  # no such option
        ("toggl start", {}, None, 0),  # required left empty
        ("toggl start", {"description": "x"}, "description", 0),  # no autocomplete there
        ("toggl summary", {}, None, 1),  # not offered in DMs
    ])
    def test_discord_would_not_send(self, path: str, options: dict[str, Any],
                                    focused: str | None, context: int) -> None:
        with pytest.raises(Refused):
            invoke(self.TREE, path, options, focused, context)


class TestGateway:
    async def connect(self, http: aiohttp.ClientSession, api: DiscordStandIn, query: str
                      ) -> aiohttp.ClientWebSocketResponse:
        return await http.ws_connect(f"{api.gateway_url}?{query}")

    def identify(self, **changes: Any) -> dict[str, Any]:
        data = {"token": BOT_TOKEN, "intents": 1, "properties": {
            "os": "linux", "browser": "t", "device": "t"}}
        return {"op": 2, "d": data | changes}

    async def test_hello_then_ready_then_the_guild_uncompressed(
        self, api: DiscordStandIn, http: aiohttp.ClientSession
    ) -> None:
        ws = await self.connect(http, api, "v=10&encoding=json")
        assert (await ws.receive_json())["op"] == 10
        await ws.send_json({"op": 1, "d": None})
        assert (await ws.receive_json())["op"] == 11
        await ws.send_json(self.identify())
        ready = await ws.receive_json()
        assert ready["t"] == "READY" and ready["d"]["resume_gateway_url"] == api.gateway_url
        assert (await ws.receive_json())["t"] == "GUILD_CREATE"
        await ws.close(code=1000)
        await api.wait_for(lambda: api.sessions[0].close_code is not None, "closed")
        assert api.sessions[0].close_code == 1000

    async def test_zlib_stream(self, api: DiscordStandIn, http: aiohttp.ClientSession) -> None:
        ws = await self.connect(http, api, "v=10&encoding=json&compress=zlib-stream")
        frame = await ws.receive_bytes()
        assert frame.endswith(b"\x00\x00\xff\xff")
        assert json.loads(zlib.decompressobj().decompress(frame))["op"] == 10
        await ws.close()

    @pytest.mark.parametrize(("query", "first", "code"), [
        ("v=9&encoding=json", None, 4012),
        ("v=10&encoding=json", {"op": 3, "d": {}}, 4003),  # before IDENTIFY
        ("v=10&encoding=json", {"op": 2, "d": {"token": "wrong"}}, 4004),
        ("v=10&encoding=json", "privileged", 4014),  # MESSAGE_CONTENT is not approved
        ("v=10&encoding=json", "shard", 4010),
        ("v=10&encoding=json", {"op": 99, "d": None}, 4003),
    ])
    async def test_discord_closes_the_socket(
        self, api: DiscordStandIn, http: aiohttp.ClientSession, query: str, first: Any,
        code: int
    ) -> None:
        ws = await self.connect(http, api, query)
        if first is not None:
            assert (await ws.receive_json())["op"] == 10
            named = {"privileged": self.identify(intents=1 << 15),
                     "shard": self.identify(shard=[1, 2])}
            payload = named[first] if isinstance(first, str) else first
            await ws.send_json(payload)
        await ws.receive()
        assert ws.close_code == code
