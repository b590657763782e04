"""/toggl anywhere (a server's install or a person's own) and Track this message, end to end
through discord.py against the stand-in, which registers and invokes as Discord does."""

from __future__ import annotations

import asyncio

import pytest

from bot.core import Core
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.discord.fakes import ADA
from tests.discord.stand_in import DiscordStandIn
from tests.discord.stand_in.commands import Refused, check
from tests.discord.stand_in.fixtures import bot, discord_api, labels, text  # noqa: F401
from tests.fakes import InMemoryAccountStore, InMemoryChannelStore

BOB = 4242


@pytest.fixture
def core(toggl_client: TogglClient, clock: ManualClock,
         account_store: InMemoryAccountStore) -> Core:
    return Core(account_store, toggl_client, clock=clock, channels=InMemoryChannelStore())




class TestRegistration:
    async def test_installable_to_a_server_or_an_account_and_usable_everywhere(
        self, discord_api: DiscordStandIn
    ) -> None:
        by_name = {c["name"]: c for c in discord_api.commands}
        toggl, menu = by_name["toggl"], by_name["Track this message"]
        for command in (toggl, menu):
            assert sorted(command["integration_types"]) == [0, 1]
            assert sorted(command["contexts"]) == [0, 1, 2]
        assert (toggl["type"], menu["type"]) == (1, 3)

    def test_the_stand_in_refuses_what_discord_refuses(self) -> None:
        menu = {"name": "Track this message", "type": 3}
        assert check([menu]) is None
        assert check([menu | {"description": "Nope"}]) is not None
        assert check([menu | {"options": [{"type": 3, "name": "x", "description": "x"}]}])
        assert check([menu | {"integration_types": [2]}]) is not None
        assert check([menu | {"contexts": [3]}]) is not None
        assert check([{**menu, "name": f"Menu {i}"} for i in range(6)]) is not None


async def test_a_person_s_own_install_works_in_a_server_without_the_app_privately(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, ada_on_discord: UserKey,
) -> None:
    done = await discord_api.slash("toggl channel project", user_id=ADA, own_install=True,
                                   project="Website")
    assert done.last.ephemeral  # public where the server has the app; private here
    assert "Website" in text(done.last), text(done.last)
    summary = await discord_api.slash("toggl summary", user_id=ADA, own_install=True)
    assert "Share in channel" not in labels(summary.last)
    digest = await discord_api.slash("toggl digest at", user_id=ADA, own_install=True,
                                     time="18:00")
    assert digest.last.ephemeral and "add it to this server" in text(digest.last)
    in_a_dm = await discord_api.slash("toggl current", user_id=ADA, dm=True, own_install=True)
    assert in_a_dm.last.ephemeral and "No timer is running" in text(in_a_dm.last)


async def test_where_the_server_has_the_app_the_channel_sees_who_set_its_project(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, ada_on_discord: UserKey,
) -> None:
    done = await discord_api.slash("toggl channel project", user_id=ADA, project="Website")
    assert not done.last.ephemeral and "Set by Ada Lovelace" in text(done.last)


async def test_track_this_message_opens_a_prefilled_form_then_starts_with_one_request(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, ada_on_discord: UserKey,
    fake_toggl: TogglEmulator,
) -> None:
    await discord_api.slash("toggl channel project", user_id=ADA, project="Website",
                            tags="meeting")
    fake_toggl.reset_log()
    opened = await discord_api.message_command(
        "Track this message", "  **Please** review the invoice <:eyes:123456789012345678> ",
        user_id=ADA, author_id=BOB)
    assert opened.type == 9  # the form
    fields = {row["component"]["custom_id"]: row["component"]
              for row in opened.callback["data"]["components"]}
    defaults = [f.get("value") for f in fields.values()]
    assert defaults[:3] == ["Please review the invoice", "Website", "meeting"]
    assert fake_toggl.count() == 0
    submitted = await discord_api.submit(
        opened, {"Description": "Please review the invoice", "Project": "Website",
                 "Tags": "meeting"}, user_id=ADA)
    assert submitted.last.ephemeral
    assert "Started “Please review the invoice”" in text(submitted.last), text(submitted.last)
    assert fake_toggl.count() == 1
    entry = fake_toggl.running(fake_toggl.user_ids()[0])
    assert entry is not None and entry.tags == ["meeting"]


async def test_track_this_message_from_ones_own_install_adds_an_entry(
    bot: asyncio.Task[int], discord_api: DiscordStandIn, ada_on_discord: UserKey,
    fake_toggl: TogglEmulator,
) -> None:
    opened = await discord_api.message_command("Track this message", "Support call",
                                               user_id=ADA, author_id=BOB, dm=True,
                                               own_install=True)
    done = await discord_api.submit(opened, {"Description": "Support call",
                                             "How long": "45m"}, user_id=ADA)
    assert "Added “Support call”" in text(done.last), text(done.last)
    [entry] = fake_toggl.entries(fake_toggl.user_ids()[0])
    assert entry.stop is not None and (entry.stop - entry.start).total_seconds() == 45 * 60


async def test_a_menu_the_app_did_not_register_is_not_offered(
    bot: asyncio.Task[int], discord_api: DiscordStandIn
) -> None:
    with pytest.raises(Refused):
        await discord_api.message_command("Delete this message", "x", user_id=ADA,
                                          author_id=BOB)
