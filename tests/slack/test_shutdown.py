"""Issue 15 item 12: stopping the web process lets a command that was already acked
finish and answer, instead of closing the core under it."""

from __future__ import annotations

import asyncio

import httpx

from adapters.web import create_web_app
from bot import migrate
from bot.app import open_app
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.reliability.test_forget_race import Gate
from tests.slack.conftest import connect, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_side import SlackSide, text_of


async def test_a_command_in_flight_still_answers_after_shutdown_began(
    fake_slack: FakeSlack, fake_toggl: TogglEmulator, clock: ManualClock, sqlite_url: str,
    toggl_token: str,
) -> None:
    migrate.upgrade(sqlite_url)
    gate = Gate(httpx.ASGITransport(app=fake_toggl.app), "POST", "/time_entries")
    toggl = httpx.AsyncClient(transport=gate)
    settings = slack_settings(fake_slack, sqlite_url)
    app = create_web_app(settings, build=lambda s: open_app(s, toggl_http=toggl, clock=clock))
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    try:
        web = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        slack = SlackSide(web, fake_slack)
        await connect(slack, toggl_token)
        acked, _ = await slack.command("start Write the report")
        assert acked.status_code == 200
        await gate.entered.wait()
    finally:
        # SIGTERM: uvicorn runs the lifespan's shutdown while the answer is still coming.
        stopping = asyncio.create_task(lifespan.__aexit__(None, None, None))
        await asyncio.wait({stopping}, timeout=0.5)  # without the fix it is done by now
        gate.release.set()
        await stopping
        await toggl.aclose()
    [answer] = fake_slack.of("respond")
    assert "Started “Write the report”" in text_of(answer.payload["blocks"])
