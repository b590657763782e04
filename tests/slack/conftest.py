"""The web process end to end: signed requests in, the fake Slack and fake Toggl observed.

Our Starlette app (adapters/web.py) runs with its lifespan, so the core is built by
build_core on a migrated SQLite file, talking to the fake Toggl in-process. Bolt's own
clients reach the fake Slack over real HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from adapters.web import create_web_app
from bot import migrate
from bot.app import open_app
from bot.config import Settings
from bot.crypto import TokenCipher
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.slack.fake_slack import FakeSlack, serve
from tests.slack.slack_side import BOT_TOKEN, SIGNING_SECRET, SlackSide
from tests.toggl_fixtures import ADA_TOKEN, API

BOB_TOKEN = "bob-test-token-7a1d2e"  # a fake's token


@pytest.fixture(scope="session")
def slack_server() -> Iterator[FakeSlack]:
    with serve(FakeSlack()) as fake:
        yield fake


@pytest.fixture
def fake_slack(slack_server: FakeSlack) -> FakeSlack:
    slack_server.reset()
    return slack_server


def slack_settings(fake: FakeSlack, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "TOKEN_ENCRYPTION_KEY": SecretStr(TokenCipher.generate_key()),
        "TOGGL_API_URL": API,
        "SLACK_BOT_TOKEN": SecretStr(BOT_TOKEN),
        "SLACK_SIGNING_SECRET": SecretStr(SIGNING_SECRET),
        "SLACK_APP_TOKEN": None,
        "SLACK_CLIENT_ID": None,
        "SLACK_CLIENT_SECRET": None,
        "SLACK_API_URL": fake.api_url,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


# Bolt runs listeners after the ack as tasks with these names; those are what to wait for.
LISTENER_TASKS = ("run_ack_function_asynchronously", "run_message_listeners")


async def settle(within: float = 5.0) -> None:
    """Let bolt's background listeners finish before the app shuts down."""
    others = [
        t for t in asyncio.all_tasks()
        if getattr(t.get_coro(), "__name__", "") in LISTENER_TASKS
    ]
    if others:
        await asyncio.wait(others, timeout=within)


@asynccontextmanager
async def running(
    settings: Settings, fake_toggl: TogglEmulator, clock: ManualClock
) -> AsyncIterator[httpx.AsyncClient]:
    """The web app (lifespan included) and an HTTP client to it."""
    toggl = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
    # The in-process emulator has no per-second limit: no per-token pacing to wait for.
    app = create_web_app(settings, build=lambda s: open_app(
        s, toggl_http=toggl, clock=clock, toggl_pace=None))
    async with toggl, app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://togglbot.test") as web:
            yield web
            await settle()


@pytest.fixture
def bob_token(fake_toggl: TogglEmulator, toggl_token: str) -> str:
    """A second Toggl person (Bob, UTC), for "the clicker, not the poster" tests."""
    return fake_toggl.add_user(BOB_TOKEN, "Bob Builder", "UTC").token


@pytest.fixture
async def slack(
    fake_slack: FakeSlack,
    fake_toggl: TogglEmulator,
    clock: ManualClock,
    sqlite_url: str,
    toggl_token: str,
) -> AsyncIterator[SlackSide]:
    migrate.upgrade(sqlite_url)
    async with running(slack_settings(fake_slack, sqlite_url), fake_toggl, clock) as web:
        yield SlackSide(web, fake_slack)


async def connect(slack: SlackSide, token: str, user: str = "U1") -> None:
    """Log a Slack user in with `/toggl login <token>`, then forget the calls it made."""
    response, _ = await slack.command(f"login {token}", user=user)
    assert response.status_code == 200
    [answer] = await slack.fake.wait_for("respond")
    assert answer.payload["text"].startswith("Connected as"), answer.payload["text"]
    slack.fake.reset()


@pytest.fixture
async def ada(slack: SlackSide, fake_toggl: TogglEmulator) -> SlackSide:
    """U1 in T1 is connected to Ada's Toggl account; the fakes' logs start empty."""
    await connect(slack, ADA_TOKEN)
    fake_toggl.reset_log()
    return slack
