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


PASTED = "0123456789abcdef0123456789ABCDEF"  # shaped like a Toggl API token


class TestAPastedTokenIsNeverEchoed:
    """Issue 15 item 10: wherever what was typed is quoted back, a token is masked."""

    @pytest.mark.parametrize("line", [
        f"summary {PASTED}",
        f"help {PASTED}",
        f"entries {PASTED}",
        f"{PASTED}",
        f"tag {PASTED} #x",
        f"edit {PASTED} note",
        f"add project Site @{PASTED}",
        "summary aB3dE5gH7jK9mN1pQ3rS5tU7xY",  # another service's key, pasted
    ])
    async def test_in_any_reply(self, ada: ConsoleBot, line: str) -> None:
        text = (await ada.send(line)).text()
        assert PASTED.lower() not in text.lower() and "aB3dE5gH7jK9mN1pQ3rS5tU7xY" not in text

    async def test_in_a_discord_usage_error_built_outside_the_core(self) -> None:
        from bot.replies import error

        assert PASTED not in error(f"Not a period: {PASTED}", f"summary {PASTED}").text()

    async def test_the_confirmation_signature_in_a_button_still_works(
        self, ada: ConsoleBot
    ) -> None:
        await ada.send("start Throwaway")
        await ada.send("stop")
        ask = await ada.send("delete last")
        assert ask.buttons, ask.text()
        done = await ada.send(ask.buttons[0].command)
        assert done.tone.value == "success", done.text()
