"""Persistence in one place: handlers change the context; the core writes once per command."""

from __future__ import annotations

import ast
from pathlib import Path

from adapters.console import ConsoleBot
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.fakes import InMemoryAccountStore

HANDLERS = Path(__file__).resolve().parents[1] / "bot" / "handlers"
WRITES = {"store", "save_account", "save_catalog", "delete_account"}


def test_no_handler_touches_the_store() -> None:
    offenders = [
        f"{path.name}:{node.lineno} {node.attr}"
        for path in HANDLERS.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr in WRITES
    ]
    assert offenders == []


class TestOneWritePerCommand:
    async def test_a_reload_and_a_new_tag_write_the_catalog_once(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore,
        clock: ManualClock,
    ) -> None:
        """A new project reloads the catalogs, the answer adds a tag: one write, at the end."""
        wid = fake_toggl.workspace_ids()[0]
        fake_toggl.add_project(wid, "Brand new")
        clock.advance(minutes=5)  # past the "just refreshed" window, so the miss reloads
        account_store.catalog_saves.clear()
        reply = await ada.send("add Review 09:00-10:00 @brand #fresh")
        assert reply.title.startswith("Added"), reply.text()
        assert account_store.catalog_saves == [wid]
        [catalog] = [c for (_, w), c in account_store.catalogs.items() if w == wid]
        assert {"Brand new"} <= {p.name for p in catalog.projects}
        assert "fresh" in {t.name for t in catalog.tags}

    async def test_login_writes_the_account_then_each_catalog_once(
        self, bot: ConsoleBot, toggl_token: str, account_store: InMemoryAccountStore,
        fake_toggl: TogglEmulator,
    ) -> None:
        await bot.login(toggl_token)
        assert account_store.saves == 1
        assert sorted(account_store.catalog_saves) == sorted(fake_toggl.workspace_ids())

    async def test_logout_deletes_what_was_stored(
        self, ada: ConsoleBot, account_store: InMemoryAccountStore
    ) -> None:
        reply = await ada.send("logout")
        assert reply.title == "Disconnected"
        assert account_store.accounts == {} and account_store.catalogs == {}
        assert (await ada.send("logout")).title == "You weren't connected."
