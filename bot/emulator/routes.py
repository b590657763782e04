"""The emulator's v9 route table: method and path template -> a ``TogglState`` operation."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator import reports
from bot.emulator.model import FakeUser, Refusal
from bot.emulator.v9 import TogglState

EMPTY = object()  # a handler's way to say "200 with no body"


@dataclass(slots=True)
class _Call:
    user: FakeUser
    ids: dict[str, str]
    query: dict[str, str]
    body: Any

    def num(self, name: str) -> int:
        return int(self.ids[name])


Handler = Callable[[TogglState, _Call], Any]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def _r(method: str, template: str, handler: Handler) -> Route:
    # {ids} is a comma-separated list; every other placeholder is a numeric id.
    regex = re.sub(
        r"\{(\w+)\}",
        lambda m: rf"(?P<{m[1]}>[0-9,]+)" if m[1] == "ids" else rf"(?P<{m[1]}>\d+)",
        template,
    )
    return Route(method, re.compile(regex + "/?"), handler)


def route(
    state: TogglState,
    routes: list[Route],
    method: str,
    path: str,
    user: FakeUser,
    query: dict[str, str],
    body: Any,
) -> Any:
    for route in routes:
        match = route.pattern.fullmatch(path)
        if match and route.method == method:
            call = _Call(user, match.groupdict(), query, body)
            if "wid" in call.ids:
                state.check_member(user, call.num("wid"))
            return route.handler(state, call)
    raise Refusal(404, "404 page not found")


def _flag(query: dict[str, str], name: str) -> bool:
    return query.get(name, "").lower() == "true"


def _delete_entry(state: TogglState, call: _Call) -> object:
    state.api_delete_entry(call.user, call.num("wid"), call.num("id"))
    return EMPTY


def _delete_client(state: TogglState, call: _Call) -> object:
    state.api_delete_client(call.num("wid"), call.num("id"))
    return EMPTY


# fmt: off
ROUTES = [
    _r("GET", "/me", lambda s, c: s.api_me(c.user, _flag(c.query, "with_related_data"))),
    _r("GET", "/me/workspaces",
       lambda s, c: [s.workspace_json(w) for w in s.my_workspaces(c.user)]),
    _r("GET", "/me/time_entries", lambda s, c: s.api_entries(
        c.user, c.query.get("start_date"), c.query.get("end_date"), meta=_flag(c.query, "meta"))),
    _r("GET", "/me/time_entries/current", lambda s, c: s.api_current(c.user)),
    _r("GET", "/me/time_entries/{id}", lambda s, c: s.api_entry(c.user, c.num("id"))),
    _r("GET", "/workspaces/{wid}", lambda s, c: s.workspace_json(s.workspace(c.num("wid")))),
    _r("POST", "/workspaces/{wid}/time_entries",
       lambda s, c: s.api_create_entry(c.user, c.num("wid"), c.body)),
    _r("PATCH", "/workspaces/{wid}/time_entries/{id}/stop",
       lambda s, c: s.api_stop_entry(c.user, c.num("wid"), c.num("id"))),
    _r("PUT", "/workspaces/{wid}/time_entries/{id}",
       lambda s, c: s.api_update_entry(c.user, c.num("wid"), c.num("id"), c.body)),
    _r("DELETE", "/workspaces/{wid}/time_entries/{id}", _delete_entry),
    _r("PATCH", "/workspaces/{wid}/time_entries/{ids}",
       lambda s, c: s.api_patch_entries(c.user, c.num("wid"), c.ids["ids"], c.body)),
    _r("GET", "/workspaces/{wid}/clients", lambda s, c: s.api_clients(
        c.num("wid"), c.query.get("status", "active"), c.query.get("name"), c.query)),
    _r("POST", "/workspaces/{wid}/clients", lambda s, c: s.api_create_client(c.num("wid"), c.body)),
    _r("PUT", "/workspaces/{wid}/clients/{id}",
       lambda s, c: s.api_update_client(c.num("wid"), c.num("id"), c.body)),
    _r("DELETE", "/workspaces/{wid}/clients/{id}", _delete_client),
    _r("POST", "/workspaces/{wid}/clients/{id}/archive",
       lambda s, c: s.api_archive_client(c.num("wid"), c.num("id"))),
    _r("POST", "/workspaces/{wid}/clients/{id}/restore",
       lambda s, c: s.api_restore_client(c.num("wid"), c.num("id"), c.body)),
    _r("GET", "/workspaces/{wid}/projects",
       lambda s, c: s.api_projects(c.num("wid"), c.query.get("active", "true"), c.query)),
    _r("POST", "/workspaces/{wid}/projects",
       lambda s, c: s.api_create_project(c.num("wid"), c.body)),
    _r("GET", "/workspaces/{wid}/tags", lambda s, c: s.api_tags(c.num("wid"), c.query)),
    _r("POST", "/workspaces/{wid}/tags", lambda s, c: s.api_create_tag(c.num("wid"), c.body)),
]
# fmt: on

REPORTS = "/reports/api/v3/workspace/{wid}"
REPORTS_ROUTES = [
    _r("POST", REPORTS + "/search/time_entries",
       lambda s, c: reports.search(s, c.user, c.num("wid"), c.body)),
    _r("POST", REPORTS + "/summary/time_entries",
       lambda s, c: reports.summary(s, c.user, c.num("wid"), c.body)),
]
