"""The fake Toggl behaves like Toggl v9 where togglbot depends on it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from bot.emulator import TogglEmulator, seed_demo, serve
from bot.testing.clock import ManualClock
from tests.toggl_fixtures import ADA_TOKEN

API = "/api/v9"
AUTH = (ADA_TOKEN, "api_token")


@pytest.fixture
def wid(fake_toggl: TogglEmulator, toggl_token: str) -> int:
    return fake_toggl.workspace_ids()[0]


@pytest.fixture
def uid(fake_toggl: TogglEmulator, toggl_token: str) -> int:
    return fake_toggl.user_ids()[0]


async def call(
    http: httpx.AsyncClient, method: str, path: str, json: Any = None, **params: str
) -> httpx.Response:
    return await http.request(method, API + path, json=json, params=params or None, auth=AUTH)


def new_entry(wid: int, start: datetime, description: str = "work", **extra: Any) -> Any:
    return {
        "created_with": "tests",
        "workspace_id": wid,
        "description": description,
        "start": start.isoformat(),
        "duration": -1,
        **extra,
    }


class TestAuth:
    async def test_good_token_gets_the_profile_without_the_token(
        self, toggl_http: httpx.AsyncClient, toggl_token: str, wid: int
    ) -> None:
        response = await call(toggl_http, "GET", "/me")
        assert response.status_code == 200
        me = response.json()
        assert me["fullname"] == "Ada Lovelace"
        assert me["timezone"] == "Europe/Berlin"
        assert me["default_workspace_id"] == wid
        assert toggl_token not in response.text

    @pytest.mark.parametrize(
        "auth", [("wrong", "api_token"), (ADA_TOKEN, "password"), None], ids=str
    )
    async def test_bad_or_missing_credentials_are_403(
        self, toggl_http: httpx.AsyncClient, toggl_token: str, auth: Any
    ) -> None:
        response = await toggl_http.get(API + "/me", auth=auth)
        assert response.status_code == 403
        assert response.text == "Incorrect username and/or password"

    async def test_someone_elses_workspace_is_forbidden(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, toggl_token: str
    ) -> None:
        other = fake_toggl.add_user("grace-token", "Grace Hopper")
        response = await call(toggl_http, "GET", f"/workspaces/{other.default_workspace_id}/tags")
        assert (response.status_code, response.text) == (403, "forbidden")

    async def test_log_names_the_user_never_the_token(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, uid: int
    ) -> None:
        await call(toggl_http, "GET", "/me", with_related_data="true")
        [seen] = fake_toggl.requests
        assert (seen.method, seen.path, seen.query, seen.status) == (
            "GET",
            "/me",
            {"with_related_data": "true"},
            200,
        )
        assert seen.token_id == uid
        assert ADA_TOKEN not in repr(seen) + repr(fake_toggl.user(uid)) + repr(fake_toggl)

    async def test_unknown_route_is_404(self, toggl_http: httpx.AsyncClient, uid: int) -> None:
        assert (await call(toggl_http, "GET", "/nope")).status_code == 404


class TestTimer:
    async def test_start_current_stop(
        self, toggl_http: httpx.AsyncClient, clock: ManualClock, wid: int, uid: int
    ) -> None:
        created = await call(
            toggl_http,
            "POST",
            f"/workspaces/{wid}/time_entries",
            new_entry(wid, clock(), tags=["meeting", "new-tag"]),
        )
        entry = created.json()
        assert created.status_code == 200
        assert entry["stop"] is None
        assert entry["duration"] == -int(clock().timestamp())
        assert entry["tags"] == ["meeting", "new-tag"]  # unknown names are created
        assert (await call(toggl_http, "GET", "/me/time_entries/current")).json()["id"] == entry[
            "id"
        ]

        clock.advance(minutes=5)
        stopped = await call(
            toggl_http, "PATCH", f"/workspaces/{wid}/time_entries/{entry['id']}/stop"
        )
        assert stopped.json()["duration"] == 300
        assert stopped.json()["stop"] == "2026-11-24T10:05:00+00:00"
        current = await call(toggl_http, "GET", "/me/time_entries/current")
        assert current.status_code == 200
        assert current.text == "null"

        again = await call(
            toggl_http, "PATCH", f"/workspaces/{wid}/time_entries/{entry['id']}/stop"
        )
        assert (again.status_code, again.text) == (409, "Time entry is already stopped")
        missing = await call(toggl_http, "PATCH", f"/workspaces/{wid}/time_entries/1/stop")
        assert (missing.status_code, missing.text) == (404, "Time entry not found")

    async def test_starting_another_stops_the_running_one(
        self,
        toggl_http: httpx.AsyncClient,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        wid: int,
        uid: int,
    ) -> None:
        first = (
            await call(
                toggl_http,
                "POST",
                f"/workspaces/{wid}/time_entries",
                new_entry(wid, clock(), "first"),
            )
        ).json()
        clock.advance(minutes=10)
        await call(
            toggl_http, "POST", f"/workspaces/{wid}/time_entries", new_entry(wid, clock(), "second")
        )
        running = fake_toggl.running(uid)
        assert running is not None and running.description == "second"
        old = next(e for e in fake_toggl.entries(uid) if e.id == first["id"])
        assert old.stop == clock()

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"created_with": None}, "created_with"),
            ({"workspace_id": 1}, "workspace_id"),
            ({"project_id": 1}, "Invalid project_id"),
            ({"start": "yesterday"}, "start"),
        ],
    )
    async def test_invalid_bodies_are_400(
        self,
        toggl_http: httpx.AsyncClient,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        wid: int,
        uid: int,
        change: dict[str, Any],
        message: str,
    ) -> None:
        body = new_entry(wid, clock()) | change
        response = await call(toggl_http, "POST", f"/workspaces/{wid}/time_entries", body)
        assert response.status_code == 400
        assert message in response.text
        assert fake_toggl.entries(uid) == []

    async def test_entries_in_a_range_newest_first(
        self,
        toggl_http: httpx.AsyncClient,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        wid: int,
        uid: int,
    ) -> None:
        day = timedelta(days=1)
        for n in range(3):
            start = clock() - n * day
            fake_toggl.add_entry(uid, wid, f"day -{n}", start, start + timedelta(hours=1))
        listed = await call(
            toggl_http, "GET", "/me/time_entries", start_date="2026-11-23", end_date="2026-11-25"
        )
        assert [e["description"] for e in listed.json()] == ["day -0", "day -1"]
        recent = await call(toggl_http, "GET", "/me/time_entries")
        assert len(recent.json()) == 3

    async def test_update_delete_and_bulk_patch(
        self,
        toggl_http: httpx.AsyncClient,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        wid: int,
        uid: int,
    ) -> None:
        start = clock() - timedelta(hours=2)
        a = fake_toggl.add_entry(uid, wid, "a", start, start + timedelta(hours=1))
        b = fake_toggl.add_entry(uid, wid, "b", start, start + timedelta(hours=1))
        put = await call(
            toggl_http,
            "PUT",
            f"/workspaces/{wid}/time_entries/{a.id}",
            {"tags": ["meeting"], "tag_action": "add", "description": "A"},
        )
        assert (put.json()["description"], put.json()["tags"]) == ("A", ["meeting"])

        ops = [{"op": "replace", "path": "/description", "value": "bulk"}]
        patched = await call(
            toggl_http, "PATCH", f"/workspaces/{wid}/time_entries/{a.id},{b.id},7", ops
        )
        assert patched.json() == {
            "success": [a.id, b.id],
            "failure": [{"id": 7, "message": "Time entry not found"}],
        }
        assert {e.description for e in fake_toggl.entries(uid)} == {"bulk"}
        too_many = ",".join(str(i) for i in range(101))
        over = await call(toggl_http, "PATCH", f"/workspaces/{wid}/time_entries/{too_many}", ops)
        assert over.status_code == 400

        deleted = await call(toggl_http, "DELETE", f"/workspaces/{wid}/time_entries/{b.id}")
        assert (deleted.status_code, deleted.content) == (200, b"")
        assert [e.id for e in fake_toggl.entries(uid)] == [a.id]

    async def test_me_with_related_data(
        self,
        toggl_http: httpx.AsyncClient,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        wid: int,
        uid: int,
    ) -> None:
        fake_toggl.add_entry(uid, wid, "running", clock())
        me = (await call(toggl_http, "GET", "/me", with_related_data="true")).json()
        assert [w["id"] for w in me["workspaces"]] == [wid]
        assert sorted(p["name"] for p in me["projects"]) == ["Research", "Web shop", "Website"]
        assert [t["name"] for t in me["tags"]] == ["meeting"]
        assert [e["description"] for e in me["time_entries"]] == ["running"]


class TestClientsAndProjects:
    async def test_empty_client_list_is_null(self, toggl_http: httpx.AsyncClient, wid: int) -> None:
        archived = await call(toggl_http, "GET", f"/workspaces/{wid}/clients", status="archived")
        assert archived.text == "null"
        both = await call(toggl_http, "GET", f"/workspaces/{wid}/clients", status="both")
        assert [c["name"] for c in both.json()] == ["Acme", "Globex"]

    async def test_create_client_names_are_unique_ignoring_case(
        self, toggl_http: httpx.AsyncClient, wid: int
    ) -> None:
        path = f"/workspaces/{wid}/clients"
        created = await call(toggl_http, "POST", path, {"name": "Initech"})
        assert created.json()["wid"] == wid
        duplicate = await call(toggl_http, "POST", path, {"name": "acme"})
        assert duplicate.status_code == 400
        assert "already exists" in duplicate.text
        assert (await call(toggl_http, "POST", path, {"name": ""})).status_code == 400

    async def test_archive_is_premium_only(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, wid: int
    ) -> None:
        acme = next(c for c in fake_toggl.clients(wid) if c.name == "Acme")
        archive = f"/workspaces/{wid}/clients/{acme.id}/archive"
        refused = await call(toggl_http, "POST", archive)
        assert (refused.status_code, refused.text) == (
            402,
            "This feature is available on premium plans",
        )
        fake_toggl.workspace(wid).premium = True
        website = next(p for p in fake_toggl.projects(wid) if p.name == "Website")
        assert (await call(toggl_http, "POST", archive)).json() == [website.id]
        assert not website.active
        active = await call(toggl_http, "GET", f"/workspaces/{wid}/projects")
        assert [p["name"] for p in active.json()] == ["Research", "Web shop"]
        restore = f"/workspaces/{wid}/clients/{acme.id}/restore"
        restored = await call(toggl_http, "POST", restore, {"restore_all_projects": True})
        assert restored.json()["archived"] is False
        assert website.active


class TestQuota:
    async def test_no_headers_when_off(self, toggl_http: httpx.AsyncClient, uid: int) -> None:
        response = await call(toggl_http, "GET", "/me")
        assert "X-Toggl-Quota-Remaining" not in response.headers

    async def test_window_counts_down_refuses_and_slides(
        self,
        toggl_http: httpx.AsyncClient,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        wid: int,
        uid: int,
    ) -> None:
        fake_toggl.set_quota(2, window_seconds=3600)
        first = await call(toggl_http, "GET", "/me")
        assert first.headers["X-Toggl-Quota-Remaining"] == "1"
        assert first.headers["X-Toggl-Quota-Resets-In"] == "3600"
        clock.advance(minutes=10)
        second = await call(toggl_http, "GET", "/me/time_entries/current")
        assert second.headers["X-Toggl-Quota-Remaining"] == "0"
        assert second.headers["X-Toggl-Quota-Resets-In"] == "3000"

        refused = await call(toggl_http, "GET", "/me/time_entries")
        assert refused.status_code == 402
        assert refused.text.startswith("You have hit your hourly limit for API calls")
        assert refused.headers["X-Toggl-Quota-Remaining"] == "0"
        assert refused.headers["X-Toggl-Quota-Resets-In"] == "3000"

        clock.advance(minutes=50)  # the first request leaves the window
        again = await call(toggl_http, "GET", "/me")
        assert again.status_code == 200
        assert again.headers["X-Toggl-Quota-Remaining"] == "0"
        assert again.headers["X-Toggl-Quota-Resets-In"] == "600"

    async def test_workspace_requests_have_their_own_window(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, clock: ManualClock,
        wid: int, uid: int,
    ) -> None:
        fake_toggl.set_quota(1)
        assert (await call(toggl_http, "GET", "/me")).status_code == 200
        assert (await call(toggl_http, "GET", "/me")).status_code == 402
        made = await call(
            toggl_http, "POST", f"/workspaces/{wid}/time_entries", new_entry(wid, clock())
        )
        assert made.status_code == 200
        assert made.headers["X-Toggl-Quota-Remaining"] == "0"
        refused = await call(
            toggl_http, "POST", f"/workspaces/{wid}/time_entries", new_entry(wid, clock())
        )
        assert refused.status_code == 402
        assert len(fake_toggl.entries(uid)) == 1  # refused means not done


class TestFaults:
    async def test_injected_status_hits_only_matching_requests(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, uid: int
    ) -> None:
        fake_toggl.inject(500, path="/me/time_entries/*", times=2)
        assert (await call(toggl_http, "GET", "/me")).status_code == 200
        for _ in range(2):
            failed = await call(toggl_http, "GET", "/me/time_entries/current")
            assert (failed.status_code, failed.text) == (500, "Internal Server Error")
        assert (await call(toggl_http, "GET", "/me/time_entries/current")).status_code == 200
        assert [r.injected for r in fake_toggl.requests] == [False, True, True, False]
        assert [r.status for r in fake_toggl.requests] == [200, 500, 500, 200]

    async def test_429_with_retry_after(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, uid: int
    ) -> None:
        fake_toggl.inject(429, headers={"Retry-After": "1"})
        limited = await call(toggl_http, "GET", "/me")
        assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")

    async def test_delay_can_outlast_a_client_timeout(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, uid: int
    ) -> None:
        fake_toggl.inject(delay=5.0)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await call(toggl_http, "GET", "/me")
        assert fake_toggl.count() == 1
        assert fake_toggl.requests[0].status is None  # never answered
        fake_toggl.inject(delay=0.01)
        assert (await call(toggl_http, "GET", "/me")).status_code == 200

    async def test_malformed_json(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, uid: int
    ) -> None:
        fake_toggl.inject(malformed_json=True)
        response = await call(toggl_http, "GET", "/me")
        assert response.status_code == 200
        with pytest.raises(ValueError):
            response.json()

    async def test_perform_applies_the_write_then_fails(
        self,
        toggl_http: httpx.AsyncClient,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        wid: int,
        uid: int,
    ) -> None:
        fake_toggl.inject(502, method="POST", perform=True)
        response = await call(
            toggl_http, "POST", f"/workspaces/{wid}/time_entries", new_entry(wid, clock())
        )
        assert response.status_code == 502
        assert len(fake_toggl.entries(uid)) == 1

    async def test_latency_applies_to_every_request(
        self, toggl_http: httpx.AsyncClient, fake_toggl: TogglEmulator, uid: int
    ) -> None:
        fake_toggl.latency = 5.0
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await call(toggl_http, "GET", "/me")


class TestCount:
    async def test_patterns(
        self,
        toggl_http: httpx.AsyncClient,
        fake_toggl: TogglEmulator,
        clock: ManualClock,
        wid: int,
        uid: int,
    ) -> None:
        entry = fake_toggl.add_entry(uid, wid, "x", clock())
        await call(toggl_http, "GET", "/me")
        await call(toggl_http, "GET", f"/workspaces/{wid}/clients")
        await call(toggl_http, "PATCH", f"/workspaces/{wid}/time_entries/{entry.id}/stop")
        assert fake_toggl.count() == 3
        assert fake_toggl.count("get") == 2
        assert fake_toggl.count(path="/me") == 1
        assert fake_toggl.count("PATCH", "/workspaces/{wid}/time_entries/{id}/stop") == 1
        assert fake_toggl.count(path="/workspaces/*") == 2
        assert fake_toggl.count(path="/workspaces/{wid}") == 0
        fake_toggl.reset_log()
        assert fake_toggl.count() == 0


def test_seed_demo_has_finished_entries_up_to_now() -> None:
    clock = ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))  # 11:00 in Berlin
    fake = TogglEmulator(clock=clock)
    token = seed_demo(fake)
    user = fake.user_for_token(token)
    assert token == "demo-token" and user is not None
    wid = user.default_workspace_id
    assert fake.workspace(wid).name == "Demo workspace"
    assert {c.name for c in fake.clients(wid)} == {"Acme", "Globex"}
    assert {p.name for p in fake.projects(wid)} == {"Website", "Mobile app", "Research", "Internal"}
    entries = fake.entries(user.id)
    assert fake.running(user.id) is None
    assert all(e.stop is not None and e.stop <= clock() for e in entries)
    assert any(e.start.date() == clock().date() for e in entries)
    assert len({e.start.date() for e in entries}) == 4  # today and three working days


def test_serve_over_real_http(fake_toggl: TogglEmulator, toggl_token: str) -> None:
    with serve(fake_toggl) as url, httpx.Client(base_url=url, timeout=5) as http:
        response = http.get("/api/v9/me", auth=(toggl_token, "api_token"))
        assert response.status_code == 200
        assert response.json()["fullname"] == "Ada Lovelace"
    assert fake_toggl.count("GET", "/me") == 1
