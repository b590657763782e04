"""Issue 15 item 12: every process stops within 10 s on SIGTERM and on Ctrl-C (SIGINT),
finishing or cancelling the work in flight."""

from __future__ import annotations

import asyncio
import signal
from datetime import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.crypto import TokenCipher
from bot.digest.model import Channel, Schedule
from bot.domain import Account, UserKey
from bot.migrate import upgrade
from bot.store.accounts import SqlAccountStore
from bot.store.digests import SqlDigestStore
from bot.store.engine import opened_engine
from tests.processes.helpers import (
    base_env,
    free_port,
    silent_server,
    start,
    stop,
    wait_healthy,
)

SIGNALS = [signal.SIGTERM, signal.SIGINT]
SLACK_HTTP = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "test-secret",
              "SLACK_API_URL": "http://127.0.0.1:9/api/"}  # never called: nothing is posted


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize("process", ["web", "run"])
def test_http_processes(tmp_path: Path, process: str, sig: signal.Signals) -> None:
    port = free_port()
    env = base_env(tmp_path, PORT=str(port), **SLACK_HTTP)
    upgrade(env["DATABASE_URL"])
    running = start([process], env, tmp_path)
    wait_healthy(running, port)
    _, err = stop(running, sig)
    # A clean stop is exit 0 (uvicorn alone would re-raise the signal: "killed by SIGTERM").
    assert running.returncode == 0, err
    assert "Traceback" not in err and "leaked" not in err


async def due_digest(url: str, key: str) -> None:
    """One member in a digest that is due now, so the worker's first round calls Toggl."""
    async with opened_engine(url) as engine:
        person = UserKey("slack", "T1", "U1")
        accounts = SqlAccountStore(engine, TokenCipher.from_setting(key))
        await accounts.save_account(
            Account(person, SecretStr("f" * 32), 1, 1, "UTC", "Ada"), create=True
        )
        digests = SqlDigestStore(engine)
        digest = await digests.subscribe(Channel("slack", "T1", "C1"), Schedule(time(0), "UTC"))
        await digests.join(digest.id, person)


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_the_worker_with_a_digest_waiting_on_a_hung_toggl(
    tmp_path: Path, sig: signal.Signals
) -> None:
    env = base_env(tmp_path, **SLACK_HTTP)
    upgrade(env["DATABASE_URL"])
    asyncio.run(due_digest(env["DATABASE_URL"], env["TOKEN_ENCRYPTION_KEY"]))
    with silent_server() as (toggl, called):
        env["TOGGL_API_URL"] = f"{toggl}/api/v9"
        running = start(["worker"], env, tmp_path)
        try:
            assert called.wait(40), "the worker never asked Toggl"
        finally:
            _, err = stop(running, sig)
    assert running.returncode == 0, err
    assert "Traceback" not in err and "leaked" not in err


DISCORD_AT = "import discord.http\ndiscord.http.Route.BASE = {!r}"


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_discord_while_connecting(tmp_path: Path, sig: signal.Signals) -> None:
    env = base_env(tmp_path, DISCORD_TOKEN="discord-test-token")
    upgrade(env["DATABASE_URL"])
    with silent_server() as (discord_api, called):
        running = start(["discord"], env, tmp_path,
                        prelude=DISCORD_AT.format(f"{discord_api}/api/v10"))
        try:
            assert called.wait(40), "the client never called Discord"
        finally:
            _, err = stop(running, sig)
    assert running.returncode == 0, err
    assert "Traceback" not in err and "leaked" not in err
