"""Autocomplete: names from the core's cache, filtered by what was typed, never from Toggl."""

from __future__ import annotations

from adapters.discord.client import TogglBot
from bot.commands import Refresh
from bot.core import Core
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from tests.discord.conftest import Tree
from tests.discord.fakes import BOB, slash, typing


def values(done: object) -> list[str]:
    choices = done.fake_response.choices  # type: ignore[attr-defined]
    assert choices is not None, "autocomplete must answer"
    assert all(ch.name == ch.value for ch in choices)
    return [ch.value for ch in choices]


class TestProjects:
    async def test_filtered_by_what_was_typed_with_zero_toggl_calls(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(typing(discord_bot, "start", "project", "web", description="x"))
        assert values(done) == ["Web shop", "Website"]
        done = await tree(typing(discord_bot, "start", "project", "SEARCH"))
        assert values(done) == ["Research"]
        assert fake_toggl.count() == 0

    async def test_at_most_25_choices(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator,
    ) -> None:
        wid = fake_toggl.workspace_ids()[0]
        for n in range(40):
            fake_toggl.add_project(wid, f"Project {n:02d} " + "x" * 120)
        await core.execute(ada_on_discord, Refresh())
        fake_toggl.reset_log()
        done = await tree(typing(discord_bot, "start", "project", ""))
        names = values(done)
        assert len(names) == 25
        assert all(len(name) <= 100 for name in names)  # Discord's limit per choice
        assert fake_toggl.count() == 0

    async def test_someone_not_connected_gets_no_choices(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey
    ) -> None:
        assert values(await tree(typing(discord_bot, "start", "project", "web", user=BOB))) == []


class TestClientsAndTags:
    async def test_client_filter_completes_client_names(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(typing(discord_bot, "clients", "filter", "ac", status="active"))
        assert values(done) == ["Acme"]
        assert fake_toggl.count() == 0

    async def test_tags_complete_the_last_of_a_comma_list(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey
    ) -> None:
        assert values(await tree(typing(discord_bot, "start", "tags", "meet"))) == ["meeting"]
        done = await tree(typing(discord_bot, "start", "tags", "urgent, mee"))
        assert values(done) == ["urgent, meeting"]


class TestHelp:
    async def test_commands_complete_by_what_was_typed(
        self, tree: Tree, discord_bot: TogglBot
    ) -> None:
        everything = values(await tree(typing(discord_bot, "help", "command", "")))
        assert len(everything) == 25
        assert values(await tree(typing(discord_bot, "help", "command", "client"))) == [
            "clients", "add client", "archive client", "delete client", "rename client",
            "restore client",
        ]

    async def test_one_command_in_detail_or_a_clear_error(
        self, tree: Tree, discord_bot: TogglBot
    ) -> None:
        detail = await tree(slash(discord_bot, "help", command="edit"))
        assert detail.only.embed is not None
        assert "/toggl edit entry:… [description] [project]" in str(detail.only.embed.title)
        wrong = await tree(slash(discord_bot, "help", command="frobnicate"))
        assert wrong.only.embed is not None
        assert "no command `frobnicate`" in str(wrong.only.embed.title)
