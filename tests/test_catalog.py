"""clients, projects, add client."""

from __future__ import annotations

from adapters.console import ConsoleBot
from bot.emulator import TogglEmulator
from bot.replies import Tone
from tests.fakes import InMemoryAccountStore


class TestClients:
    async def test_add_client_is_one_call_and_updates_the_cache(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        reply = await ada.send('add client "Initech Ltd"')
        assert reply.title == "Added client “Initech Ltd”"
        assert fake_toggl.count() == 1
        wid = fake_toggl.workspace_ids()[0]
        assert "Initech Ltd" in [c.name for c in fake_toggl.clients(wid)]
        catalog = next(iter(account_store.catalogs.values()))
        assert "Initech Ltd" in [c.name for c in catalog.clients]

    async def test_duplicate_name_is_toggls_clear_error(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("add client acme")
        assert reply.tone is Tone.ERROR
        assert "already exists" in reply.title

    async def test_empty_and_too_long_names_never_reach_toggl(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        assert (await ada.send("add client")).usage == "add client <name>"
        assert "at most 100" in (await ada.send("add client " + "x" * 101)).title
        assert fake_toggl.count() == 0

    async def test_list_is_sorted_with_filters(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("clients")
        assert reply.title == "Clients (2)"
        assert reply.lines == ("Acme", "Globex")
        assert fake_toggl.count() == 1
        archived = await ada.send("clients archived")
        assert archived.title == "Archived clients"


class TestProjects:
    async def test_list_shows_clients(self, ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
        reply = await ada.send("projects")
        assert reply.title == "Projects (3)"
        assert "Website · Acme" in reply.lines
        assert fake_toggl.count() == 1
