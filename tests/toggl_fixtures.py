"""Pytest plugin: a manual clock, the fake Toggl, a seeded user and an HTTP client to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock

TOGGL_BASE_URL = "http://toggl.test"
API = TOGGL_BASE_URL + "/api/v9"
ADA_TOKEN = "ada-test-token-0f3c9e"  # a fake's token, never a real one


@pytest.fixture
def clock() -> ManualClock:
    """Starts at Tuesday 2026-11-24 10:00 UTC (11:00 in Berlin)."""
    return ManualClock()


@pytest.fixture
def fake_toggl(clock: ManualClock) -> TogglEmulator:
    return TogglEmulator(clock=clock)


@pytest.fixture
def toggl_token(fake_toggl: TogglEmulator) -> str:
    """Ada (Europe/Berlin) with clients Acme/Globex, three projects and a "meeting" tag."""
    ada = fake_toggl.add_user(ADA_TOKEN, "Ada Lovelace", "Europe/Berlin")
    wid = ada.default_workspace_id
    acme = fake_toggl.add_client(wid, "Acme")
    globex = fake_toggl.add_client(wid, "Globex")
    fake_toggl.add_project(wid, "Website", acme.id)
    fake_toggl.add_project(wid, "Web shop", globex.id)
    fake_toggl.add_project(wid, "Research", globex.id)
    fake_toggl.add_tag(wid, "meeting")
    return ada.token


@pytest.fixture
async def toggl_http(fake_toggl: TogglEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """Talks to the fake in-process; request paths start with ``/api/v9``."""
    transport = httpx.ASGITransport(app=fake_toggl.app)
    async with httpx.AsyncClient(transport=transport, base_url=TOGGL_BASE_URL) as client:
        yield client
