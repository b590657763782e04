"""Tokens never appear in logs, replies or reprs, whatever happens."""

from __future__ import annotations

import logging

import pytest

from adapters.console import ConsoleBot
from bot.emulator import TogglEmulator

MARKER = "tok3nM4rk3rDoNotLeak0123456789ab"


async def test_a_full_session_never_logs_or_replies_the_token(
    bot: ConsoleBot, fake_toggl: TogglEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    fake_toggl.add_user(MARKER, fullname="Marker Person")
    caplog.set_level(logging.DEBUG)
    texts = []
    for line in (
        f"login {MARKER}",
        "start leak check",
        "current",
        "stop",
        "summary",
        "clients",
        "projects",
        "add client Leaky",
        "quota",
        "refresh",
    ):
        texts.append((await bot.send(line)).text())
    fake_toggl.inject(500, times=10)
    texts.append((await bot.send("current")).text())
    fake_toggl.inject(403, body="Incorrect username and/or password")
    texts.append((await bot.send("start rejected")).text())
    texts.append((await bot.send("logout")).text())
    everything = "\n".join(texts) + "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records, "expected some logging to check"
    assert MARKER not in everything
    assert MARKER not in repr(bot.core.store)
