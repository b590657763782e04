"""`togglbot demo`: the console against a built-in Toggl emulator; no account, no network."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from pydantic import SecretStr

from bot.app import build_core
from bot.config import Settings
from bot.core import Core
from bot.crypto import TokenCipher
from bot.emulator import TogglEmulator, seed_demo
from bot.migrate import upgrade

DEMO_API = "http://toggl.demo/api/v9"
DEMO_REPORTS = "http://toggl.demo/reports/api/v3"
FREE_PLAN_QUOTA = 30
WELCOME = """\
togglbot demo: a local Toggl emulator with sample data (clients Acme and Globex, projects
Website, Mobile app, Research, Internal). You're logged in. Try:
  start Fix the header @web #deep-work
  current
  stop
  summary week
  quota        (the emulator enforces a Free plan's 30 requests an hour)
  help
Type quit to leave."""


@asynccontextmanager
async def demo_core(workdir: Path | None = None) -> AsyncIterator[tuple[Core, str]]:
    """A Core wired to a fresh emulator and a throwaway SQLite file; yields it and the token."""
    with tempfile.TemporaryDirectory(prefix="togglbot-demo-") as tmp:
        folder = workdir or Path(tmp)
        url = f"sqlite:///{folder / 'demo.db'}"
        upgrade(url)
        fake = TogglEmulator()
        token = seed_demo(fake)
        fake.set_quota(FREE_PLAN_QUOTA)  # like a Free Toggl plan, so `quota` has a story
        settings = Settings(
            DATABASE_URL=url,
            TOKEN_ENCRYPTION_KEY=SecretStr(TokenCipher.generate_key()),
            TOGGL_API_URL=DEMO_API,
            TOGGL_REPORTS_URL=DEMO_REPORTS,
        )
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake.app))
        # One person, and an emulator without Toggl's per-second limit: nothing to pace.
        async with build_core(settings, toggl_http=http, one_person=True,
                              toggl_pace=None) as core:
            yield core, token
