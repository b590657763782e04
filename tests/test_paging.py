"""Toggl pages its lists (151 by default, 200 at most): big workspaces are read in full."""

from __future__ import annotations

import httpx

from adapters.console import ConsoleBot
from bot.emulator import TogglEmulator

MANY = 500


def _many_projects(fake: TogglEmulator) -> int:
    wid = fake.workspace_ids()[0]
    for n in range(MANY):
        fake.add_project(wid, f"Project {n:03d}")
    return wid


class TestTheEmulatorPagesLikeToggl:
    async def test_a_list_stops_at_151_without_per_page(
        self, toggl_token: str, fake_toggl: TogglEmulator, toggl_http: httpx.AsyncClient
    ) -> None:
        wid = _many_projects(fake_toggl)
        auth = (toggl_token, "api_token")
        first = await toggl_http.get(f"/api/v9/workspaces/{wid}/projects", auth=auth)
        assert len(first.json()) == 151
        big = await toggl_http.get(f"/api/v9/workspaces/{wid}/projects", auth=auth,
                                   params={"per_page": "200", "page": "3"})
        assert len(big.json()) == MANY + 3 - 400  # the fixture's own three projects too
        refused = await toggl_http.get(f"/api/v9/workspaces/{wid}/projects", auth=auth,
                                       params={"per_page": "201"})
        assert refused.status_code == 400


class TestBigWorkspaces:
    async def test_login_remembers_every_project(
        self, bot: ConsoleBot, toggl_token: str, fake_toggl: TogglEmulator
    ) -> None:
        _many_projects(fake_toggl)
        reply = await bot.login(toggl_token)
        assert f"{MANY + 3} projects" in reply.text()
        # /me is cut at 151, so the projects are read again: 200 + 200 + 103.
        assert fake_toggl.count("GET", "/me") == 1
        assert fake_toggl.count("GET", "/workspaces/{wid}/projects") == 3
        fake_toggl.reset_log()
        started = await bot.send("start Deep work @\"Project 499\"")
        assert started.title.startswith("Started"), started.text()
        assert fake_toggl.count() == 1

    async def test_projects_lists_them_all_one_request_per_page(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        _many_projects(fake_toggl)
        reply = await ada.send("projects")
        assert reply.title == f"Projects ({MANY + 3})"
        assert fake_toggl.count() == 3
        for request in fake_toggl.requests:
            assert request.query["per_page"] == "200"

    async def test_tags_and_clients_page_too(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        wid = fake_toggl.workspace_ids()[0]
        for n in range(250):
            fake_toggl.add_tag(wid, f"t{n:03d}")
            fake_toggl.add_client(wid, f"Client {n:03d}")
        assert (await ada.send("tags")).title == "Tags (251)"
        assert (await ada.send("clients")).title == "Clients (252)"
        assert fake_toggl.count() == 4
