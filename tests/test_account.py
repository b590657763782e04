"""login, logout, help, errors: what a person sees, and what is kept."""

from __future__ import annotations

from adapters.console import ConsoleBot
from bot.commands import Overview
from bot.emulator import TogglEmulator
from bot.replies import Tone
from bot.testing.clock import ManualClock
from tests.fakes import InMemoryAccountStore


class TestLogin:
    async def test_one_call_fills_profile_and_cache(
        self,
        bot: ConsoleBot,
        toggl_token: str,
        fake_toggl: TogglEmulator,
        account_store: InMemoryAccountStore,
    ) -> None:
        reply = await bot.send(f"login {toggl_token}")
        assert reply.title == "Connected as Ada Lovelace"
        assert "Europe/Berlin" in reply.lines[0]
        assert fake_toggl.count() == 1
        assert account_store.saves == 1  # stored once, before its catalogs
        account = next(iter(account_store.accounts.values()))
        assert account.timezone == "Europe/Berlin"
        assert toggl_token not in reply.text()
        assert toggl_token not in repr(account)

    async def test_a_rejected_token_is_not_stored_or_echoed(
        self, bot: ConsoleBot, account_store: InMemoryAccountStore
    ) -> None:
        reply = await bot.send("login 0123456789abcdef0123456789abcdef")
        assert reply.tone is Tone.ERROR
        assert reply.title == "Toggl didn't accept that token."
        assert "0123456789abcdef" not in reply.text()
        assert account_store.accounts == {}

    async def test_login_without_a_token_asks_privately(self, bot: ConsoleBot) -> None:
        reply = await bot.send("login")
        assert reply.ask_token

    async def test_commands_before_login_say_how_to_connect(
        self, bot: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await bot.send("start something")
        assert reply.title == "You're not connected to Toggl yet."
        assert [b.command for b in reply.buttons] == ["login"]
        assert "`login`" in reply.lines[0]  # the console's own words
        assert fake_toggl.count() == 0


class TestLogout:
    async def test_deletes_token_and_cache(
        self, ada: ConsoleBot, account_store: InMemoryAccountStore, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("logout")
        assert reply.title == "Disconnected"
        assert account_store.accounts == {} and account_store.catalogs == {}
        assert fake_toggl.count() == 0
        assert (await ada.send("logout")).title == "You weren't connected."


class TestTokenRejectedLater:
    async def test_marks_the_token_invalid_and_stops_spending_calls(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        fake_toggl.inject(403, body="Incorrect username and/or password")
        reply = await ada.send("current")
        assert reply.title == "Toggl rejected your API token: connect again with a new one."
        assert not next(iter(account_store.accounts.values())).token_valid
        fake_toggl.reset_log()
        again = await ada.send("current")
        assert again.title == reply.title
        assert fake_toggl.count() == 0


class TestHelpAndUsage:
    async def test_unknown_command_suggests_the_right_one(self, bot: ConsoleBot) -> None:
        reply = await bot.send("strat meeting")
        assert reply.tone is Tone.ERROR
        assert "Did you mean `start`?" in reply.title

    async def test_help_lists_every_command(self, bot: ConsoleBot) -> None:
        reply = await bot.send("help")
        usages = " ".join(f.label for f in reply.fields)
        for word in ("start", "stop", "current", "continue", "summary", "clients", "projects",
                     "add client", "login", "logout", "quota"):
            assert word in usages

    async def test_help_for_one_command_shows_examples(self, bot: ConsoleBot) -> None:
        reply = await bot.send("help start")
        assert reply.title.startswith("`start [description] [@project]")
        assert any(line.startswith("Example:") for line in reply.lines)

    async def test_bad_summary_date_shows_usage(self, bot: ConsoleBot) -> None:
        reply = await bot.send("summary 2026-13-45")
        assert "YYYY-MM-DD" in reply.title
        assert reply.usage.startswith("summary")


class TestOverview:
    async def test_shows_running_entry_today_and_quota_in_one_call(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        fake_toggl.set_quota(30)
        await ada.send("start write docs")
        clock.advance(minutes=20)
        fake_toggl.reset_log()
        reply = await ada.core.execute(ada.invocation("").key, Overview())
        assert reply.title == "Connected as Ada Lovelace"
        assert reply.lines[0].startswith("“write docs” · Running for 20m")
        assert reply.lines[1] == "Today: 20m"
        assert reply.lines[2] == (
            "Workspace (start, stop, clients, projects): 29 left this hour; "
            "the count resets at 12:00 (in 40m)."
        )
        assert reply.lines[3].startswith("Personal (current, summaries, login): 29 left")
        assert [b.command for b in reply.buttons] == ["stop"]
        assert fake_toggl.count() == 1

    async def test_not_connected_offers_login(self, bot: ConsoleBot) -> None:
        reply = await bot.core.execute(bot.invocation("").key, Overview())
        assert [b.command for b in reply.buttons] == ["login"]


class TestSuggest:
    async def test_project_names_from_the_cache_prefix_first(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        names = await ada.core.suggest(ada.invocation("").key, "project", "web")
        assert names == ["Web shop", "Website"]
        assert await ada.core.suggest(ada.invocation("").key, "project", "") == [
            "Research", "Web shop", "Website"
        ]
        assert fake_toggl.count() == 0
