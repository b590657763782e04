"""The Toggl call budget of each command, asserted from the grammar table itself."""

from __future__ import annotations

import pytest

from adapters.console import ConsoleBot
from bot.grammar import spec
from bot.testing.fake_toggl import FakeToggl

# What to do first (not counted), then the command whose common path is measured.
SCENARIOS = {
    "start": ([], "start focus @Website #meeting"),
    "stop": (["start focus"], "stop"),
    "current": ([], "current"),
    "continue": (["start focus", "stop"], "continue"),
    "summary": ([], "summary week"),
    "clients": ([], "clients"),
    "projects": ([], "projects"),
    "add client": ([], "add client Initech"),
    "refresh": ([], "refresh"),
    "quota": ([], "quota"),
    "logout": ([], "logout"),
    "help": ([], "help"),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_common_path_spends_the_budget(
    name: str, ada: ConsoleBot, fake_toggl: FakeToggl
) -> None:
    before, command = SCENARIOS[name]
    for text in before:
        await ada.send(text)
    fake_toggl.reset_log()
    await ada.send(command)
    assert fake_toggl.count() == spec(name).calls


async def test_login_is_one_call(
    bot: ConsoleBot, fake_toggl: FakeToggl, toggl_token: str
) -> None:
    await bot.send(f"login {toggl_token}")
    assert fake_toggl.count() == spec("login").calls == 1
