"""`/toggl` subcommands: Discord options become typed core commands; answers are private."""

from __future__ import annotations

from datetime import date
from typing import Any

import discord
import pytest
from discord import app_commands

from adapters.discord.client import TogglBot
from bot import commands as c
from bot.commands import DECLARATIONS, declaration
from bot.core import Core
from bot.dialects.options import from_options
from bot.dialects.syntax import discord_path
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.errors import UsageError
from bot.replies import Reply, Tone
from bot.timefmt import day_label
from tests.discord.conftest import Tree
from tests.discord.fakes import CHANNEL, colour_of, slash, text_of


def toggl_user(fake: TogglEmulator) -> int:
    return fake.user_ids()[0]


class TestTheTree:
    def test_every_grammar_command_is_a_subcommand_described_by_the_grammar(
        self, discord_bot: TogglBot
    ) -> None:
        names = {cmd.qualified_name.removeprefix("toggl "): cmd
                 for cmd in group_of(discord_bot).walk_commands()
                 if isinstance(cmd, app_commands.Command)}
        assert set(names) == {discord_path(d) for d in DECLARATIONS}
        assert {"add client", "add entry", "digest at", "client rename", "tags"} <= set(names)
        for s in DECLARATIONS:
            description = names[discord_path(s)].description
            assert description and len(description) <= 100
            assert description.rstrip(".") in s.summary.replace("`", "")

    def test_within_discords_limit_of_25_subcommands_per_level(
        self, discord_bot: TogglBot
    ) -> None:
        group = group_of(discord_bot)
        levels = [group, *(g for g in group.commands if isinstance(g, app_commands.Group))]
        assert all(0 < len(level.commands) <= 25 for level in levels)
        assert group.to_dict(discord_bot.tree)  # discord.py's own payload checks pass

    def test_no_option_offers_more_than_25_fixed_choices(self, discord_bot: TogglBot) -> None:
        # Discord refuses a whole sync over one such option; discord.py doesn't check it.
        payload = group_of(discord_bot).to_dict(discord_bot.tree)

        def options(node: dict) -> list[dict]:
            found = []
            for option in node.get("options", []):
                found.append(option)
                found += options(option)
            return found

        assert all(len(o.get("choices") or []) <= 25 for o in options(payload))
        # Discord also wants 1 to 100 characters of description on every option.
        assert all(1 <= len(o.get("description", "")) <= 100 for o in options(payload))
        choices = [ch for o in options(payload) for ch in o.get("choices") or []]
        assert all(len(ch["name"]) <= 100 for ch in choices)

    def test_the_command_fits_discords_8000_character_budget(self, discord_bot: TogglBot) -> None:
        # Names, descriptions and choices of a command and all its options count together.
        def size(node: dict) -> int:
            own = len(node.get("name", "")) + len(node.get("description", ""))
            own += sum(len(ch["name"]) + len(str(ch["value"])) for ch in node.get("choices") or [])
            return own + sum(size(option) for option in node.get("options") or [])

        assert size(group_of(discord_bot).to_dict(discord_bot.tree)) <= 8000

    def test_usable_in_servers_and_in_dms_installed_to_a_server_or_an_account(
        self, discord_bot: TogglBot
    ) -> None:
        payload = group_of(discord_bot).to_dict(discord_bot.tree)
        assert set(payload["contexts"]) == {0, 1, 2}  # guild, bot DM, private channels
        assert set(payload["integration_types"]) == {0, 1}  # a server's, a person's

    def test_track_this_message_is_a_message_command_offered_alike(
        self, discord_bot: TogglBot
    ) -> None:
        menu = discord_bot.tree.get_command("Track this message",
                                            type=discord.AppCommandType.message)
        assert menu is not None
        payload = menu.to_dict(discord_bot.tree)
        assert payload["type"] == 3 and "options" not in payload
        assert set(payload["contexts"]) == {0, 1, 2}
        assert set(payload["integration_types"]) == {0, 1}

    def test_options_are_typed_with_choices(self, discord_bot: TogglBot) -> None:
        summary = subcommand(discord_bot, "summary")
        assert {p.display_name for p in summary.parameters} == {"period", "from", "to"}
        period = next(p for p in summary.parameters if p.name == "period")
        assert [ch.value for ch in period.choices] == [
            "today", "yesterday", "week", "last week", "month"
        ]
        billable = next(p for p in subcommand(discord_bot, "start").parameters
                        if p.name == "billable")
        assert billable.type is discord.AppCommandOptionType.boolean


def group_of(client: TogglBot) -> app_commands.Group:
    group = client.tree.get_command("toggl")
    assert isinstance(group, app_commands.Group)
    return group


def subcommand(client: TogglBot, name: str) -> app_commands.Command:  # type: ignore[type-arg]
    group: app_commands.Group | None = group_of(client)
    *path, name = name.split(" ")
    for word in path:
        group = group.get_command(word) if group else None  # type: ignore[assignment]
    found = group.get_command(name) if group else None
    assert isinstance(found, app_commands.Command)
    return found


class TestStart:
    async def test_options_start_one_entry_privately_with_a_stop_button(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(slash(discord_bot, "start", description="Weekly sync",
                                project="Website", tags="meeting", billable=True))
        assert done.fake_response.deferred is not None
        assert done.fake_response.deferred.ephemeral and done.fake_response.deferred.thinking
        answer = done.only
        assert answer.via == "original" and answer.ephemeral
        assert answer.embed is not None and answer.embed.title == "Started “Weekly sync”"
        assert "Website · Acme" in text_of(answer.embed)
        assert colour_of(answer.embed) is Tone.SUCCESS
        assert answer.labels == ["Stop"]
        running = fake_toggl.running(toggl_user(fake_toggl))
        assert running is not None and running.description == "Weekly sync"
        assert running.tags == ["meeting"] and running.billable
        assert fake_toggl.count() == 1

    async def test_without_options_it_starts_an_untitled_entry(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        await tree(slash(discord_bot, "start"))
        running = fake_toggl.running(toggl_user(fake_toggl))
        assert running is not None and running.description == "" and not running.billable

    async def test_an_unknown_project_is_a_friendly_reply_and_starts_nothing(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(slash(discord_bot, "start", description="x", project="web"))
        assert done.only.ephemeral and done.only.embed is not None
        assert colour_of(done.only.embed) is Tone.WARNING
        assert "Web shop" in text_of(done.only.embed)  # the ambiguous candidates
        assert fake_toggl.running(toggl_user(fake_toggl)) is None

    async def test_not_connected_says_so_and_calls_nothing(
        self, tree: Tree, discord_bot: TogglBot, toggl_token: str, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(slash(discord_bot, "start", description="x"))
        assert done.only.ephemeral and "not connected" in text_of(done.only.embed)
        assert fake_toggl.count() == 0

    def test_tags_split_on_commas_and_the_hash_is_optional(self) -> None:
        def tags(text: str | None) -> tuple[str, ...]:
            made = from_options(declaration("start"), {"tags": text} if text else {})
            assert isinstance(made, c.Start)
            return made.tags

        assert tags("meeting, #billing ,, meeting") == ("meeting", "billing")
        assert tags("deep work") == ("deep work",)
        assert tags(None) == ()


class TestOneAccountEverywhere:
    async def test_a_login_made_in_a_server_works_in_a_dm(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        assert ada_on_discord == UserKey("discord", "discord", ada_on_discord.user_id)
        await tree(slash(discord_bot, "start", description="in a server"))
        done = await tree(slash(discord_bot, "stop", guild=None))
        assert done.only.embed is not None
        assert done.only.embed.title is not None and done.only.embed.title.startswith("Stopped")
        assert fake_toggl.running(toggl_user(fake_toggl)) is None


class TestSummary:
    @pytest.mark.parametrize(
        ("period", "title"),
        [("today", "Today"), ("yesterday", "Yesterday"), ("week", "This week"),
         ("last week", "Last week"), ("month", "November 2026")],
    )
    async def test_named_periods(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator,
        period: str, title: str,
    ) -> None:
        done = await tree(slash(discord_bot, "summary", period=period))
        assert done.only.embed is not None and done.only.embed.title is not None
        assert done.only.embed.title.startswith(title)
        assert done.only.ephemeral and fake_toggl.count() == 1

    async def test_dates_make_a_range(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey
    ) -> None:
        dates = {"from": "2026-11-02", "to": "2026-11-08"}
        done = await tree(slash(discord_bot, "summary", **dates))
        assert done.only.embed is not None
        expected = f"{day_label(date(2026, 11, 2))} – {day_label(date(2026, 11, 8))}"
        assert done.only.embed.title == expected

    async def test_a_bad_date_is_answered_at_once_without_toggl(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(slash(discord_bot, "summary", **{"from": "2026-13-01"}))
        assert done.fake_response.deferred is None
        answer = done.only
        assert answer.via == "response" and answer.ephemeral
        assert colour_of(answer.embed) is Tone.ERROR and "YYYY-MM-DD" in text_of(answer.embed)
        assert fake_toggl.count() == 0

    def test_options_to_periods(self) -> None:
        def summary(period: str | None, first: str | None, last: str | None) -> c.Command:
            given = {"period": period, "from": first, "to": last}
            return from_options(declaration("summary"),
                                {k: v for k, v in given.items() if v is not None})

        assert summary(None, None, None) == c.Summary(c.Period("today"))
        assert summary("last week", None, None) == c.Summary(c.Period("last week"))
        one_day = c.Period("range", date(2026, 11, 3), date(2026, 11, 3))
        assert summary(None, "2026-11-03", None) == c.Summary(one_day)
        for period, first, last in [("week", "2026-11-03", None), (None, None, "2026-11-03"),
                                    (None, "2026-11-09", "2026-11-03")]:
            with pytest.raises(UsageError):
                summary(period, first, last)


class TestCatalog:
    async def test_clients_status_and_filter_reach_toggl(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.add_client(fake_toggl.workspace_ids()[0], "Initech", archived=True)
        done = await tree(slash(discord_bot, "clients", status="archived"))
        assert done.only.embed is not None and done.only.embed.title == "Archived clients (1)"
        assert "Initech" in text_of(done.only.embed)
        done = await tree(slash(discord_bot, "clients", filter="glob"))
        assert "Globex" in text_of(done.only.embed) and "Acme" not in text_of(done.only.embed)

    async def test_projects_and_add_client(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(slash(discord_bot, "projects", status="both"))
        assert done.only.embed is not None and done.only.embed.title == "All projects (3)"
        await tree(slash(discord_bot, "add client", name="Umbrella Corp"))
        names = [x.name for x in fake_toggl.clients(fake_toggl.workspace_ids()[0])]
        assert "Umbrella Corp" in names


class TestAnsweredAtOnce:
    """Commands that never call Toggl answer directly; the rest defer within Discord's 3 s."""

    @pytest.mark.parametrize("sub", ["help", "quota", "logout"])
    async def test_zero_call_commands_do_not_defer(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator,
        sub: str,
    ) -> None:
        done = await tree(slash(discord_bot, sub))
        assert done.fake_response.deferred is None
        assert done.only.via == "response" and done.only.ephemeral
        assert fake_toggl.count() == 0

    @pytest.mark.parametrize("sub", ["stop", "current", "continue", "refresh", "projects"])
    async def test_toggl_commands_defer_first(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, sub: str
    ) -> None:
        done = await tree(slash(discord_bot, sub))
        assert done.fake_response.deferred is not None
        assert done.only.via == "original" and done.only.ephemeral

    async def test_help_for_one_command(
        self, tree: Tree, discord_bot: TogglBot, toggl_token: str
    ) -> None:
        done = await tree(slash(discord_bot, "help", command="add client"))
        assert done.only.embed is not None
        assert done.only.embed.title == "`/toggl add client name:…`"
        assert "/toggl add client name:Acme Corp" in text_of(done.only.embed)


class TestTheChannel:
    """Every subcommand tells the core where it was typed: channel-bound commands need it."""

    REQUIRED: dict[str, dict[str, Any]] = {
        "add client": {"name": "Umbrella"},
        "client rename": {"name": "Acme", "new-name": "Acme Inc"},
        "client archive": {"name": "Globex"},
        "client restore": {"name": "Globex"},
        "client delete": {"name": "Globex"},
        "add project": {"name": "Mobile"},
        "add tag": {"name": "urgent"},
        "add entry": {"description": "Review", "start": "09:00", "stop": "10:00"},
        "edit": {"entry": "last", "billable": True},
        "delete": {"entry": "last"},
        "tag": {"period": "today", "add-tags": "urgent"},
        "digest at": {"time": "18:00", "timezone": "UTC"},
        "channel project": {"project": "Website"},
        "remind hours": {"start": "09:00", "stop": "17:30"},
        "remind running": {"after": "3h"},
        "remind idle": {"after": "30m"},
        "remind recap": {"time": "17:45"},
        "remind snooze": {"for": "1h"},
        "remind ok": {"kind": "running"},
    }

    # `login` opens the token form: nothing runs until it is submitted.
    @pytest.mark.parametrize("name", [discord_path(d) for d in DECLARATIONS if d.name != "login"])
    async def test_every_subcommand_passes_the_channel_id(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey,
        monkeypatch: pytest.MonkeyPatch, name: str,
    ) -> None:
        seen: list[str] = []
        execute = core.execute

        async def spy(
            key: UserKey, command: c.Command, *, channel_id: str = "", access: Any = None
        ) -> Reply:
            seen.append(channel_id)
            return await execute(key, command, channel_id=channel_id, access=access)

        monkeypatch.setattr(core, "execute", spy)
        await tree(slash(discord_bot, name, channel=CHANNEL + 7, **self.REQUIRED.get(name, {})))
        assert seen == [str(CHANNEL + 7)]

    async def test_a_bot_without_digests_says_so(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey
    ) -> None:
        done = await tree(slash(discord_bot, "digest show"))
        assert done.only.ephemeral and colour_of(done.only.embed) is Tone.ERROR
        assert "Channel digests are not enabled" in text_of(done.only.embed)


def test_the_gateway_is_asked_only_for_guild_events() -> None:
    """No message, typing, reaction, voice or poll events: the bot reads none of them."""
    from adapters.discord.client import intents

    wanted = intents()
    assert wanted.guilds
    assert wanted.value == discord.Intents(guilds=True).value
    for unused in ("messages", "typing", "reactions", "voice_states", "polls",
                   "message_content", "members", "presences"):
        assert not getattr(wanted, unused), unused
