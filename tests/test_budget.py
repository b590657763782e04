"""The Toggl call budget of each command, asserted from the grammar table itself."""

from __future__ import annotations

import pytest

from adapters.console import ConsoleBot
from bot.commands import declaration as spec
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock

# What to do first (not counted), then the command whose common path is measured.
SCENARIOS = {
    "start": ([], "start focus @Website #meeting"),
    "stop": (["start focus"], "stop"),
    "current": ([], "current"),
    "continue": (["start focus", "stop"], "continue"),
    "switch": (["start focus"], "switch other"),
    "recent": (["start focus", "stop"], "recent"),
    "summary": ([], "summary week"),
    "clients": ([], "clients"),
    "projects": ([], "projects"),
    "add client": ([], "add client Initech"),
    "rename client": ([], "rename client Acme to Acme Corp"),
    "archive client": ([], "archive client Globex"),
    "delete client": ([], "delete client Globex"),
    "add project": ([], "add project Mobile $Acme"),
    "tags": ([], "tags"),
    "add tag": ([], "add tag billable"),
    "entries": ([], "entries week"),
    "edit": (["add Draft 09:00-10:00"], "edit last Final @Website #meeting"),
    "delete": (["add Draft 09:00-10:00"], "delete last"),
    "add": ([], "add Review 09:00-10:00 @Website #meeting"),
    "tag": (["add Draft 09:00-10:00"], "tag today #billable"),
    "refresh": ([], "refresh"),
    "quota": ([], "quota"),
    "logout": ([], "logout"),
    "help": ([], "help"),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_common_path_spends_the_budget(
    name: str, ada: ConsoleBot, fake_toggl: TogglEmulator
) -> None:
    before, command = SCENARIOS[name]
    for text in before:
        await ada.send(text)
    fake_toggl.reset_log()
    await ada.send(command)
    assert fake_toggl.count() == spec(name).calls


async def test_restore_client_is_one_call(ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
    """Apart: it needs an archived client, and archiving needs a paid plan."""
    fake_toggl.workspace(fake_toggl.workspace_ids()[0]).premium = True
    await ada.send("archive client Globex")
    fake_toggl.reset_log()
    await ada.send("restore client Globex with projects")
    assert fake_toggl.count() == spec("restore client").calls == 1


async def test_confirmed_deletes_are_one_call(ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
    await ada.send("add Draft 09:00-10:00")
    for ask in ("delete last", "delete client Globex"):
        [button] = (await ada.send(ask)).buttons
        fake_toggl.reset_log()
        await ada.send(button.command)
        assert fake_toggl.count() == 1 <= spec(ask.rsplit(" ", 1)[0]).worst_calls


async def test_login_is_one_call(
    bot: ConsoleBot, fake_toggl: TogglEmulator, toggl_token: str
) -> None:
    await bot.send(f"login {toggl_token}")
    assert fake_toggl.count() == spec("login").calls == 1


def test_every_command_has_a_budget_scenario() -> None:
    from bot.commands import DECLARATIONS

    apart = {"restore client", "login", "digest at", "digest join", "digest leave",
             "digest show", "digest off", "channel project", "channel show", "channel off",
             "status on", "status off", "remind show", "remind hours", "remind running",
             "remind idle", "remind recap", "remind snooze", "remind off",
             "remind ok"}  # tested apart, or spend no Toggl request
    for name in apart - {"restore client", "login"}:
        assert spec(name).worst_calls == 0, name
    assert {d.name for d in DECLARATIONS} - apart <= set(SCENARIOS)


@pytest.mark.parametrize(("before", "command"), [
    (["start focus"], "stop 10m ago"),
    ([], "start focus 15m ago"),
    (["start focus", "stop"], "continue focus"),
    ([], "add call 45m"),
])
async def test_time_phrases_cost_no_more(
    before: list[str], command: str, ada: ConsoleBot, fake_toggl: TogglEmulator,
    clock: ManualClock,
) -> None:
    for text in before:
        await ada.send(text)
    clock.advance(minutes=30)
    fake_toggl.reset_log()
    await ada.send(command)
    assert fake_toggl.count() == 1
