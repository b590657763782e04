"""Delete confirmations: the core's button runs for its owner, even when too long to carry.

Real ids make `delete client <id> confirm <token>` longer than Discord's 100-character
custom_id; such a button carries a short key to the command kept in the bridge instead.
"""

from __future__ import annotations

import itertools

from pydantic import SecretStr

from adapters.discord.client import TogglBot
from adapters.discord.views import CUSTOM_ID_MAX, ActionButton, LongCommands, build_view
from bot import commands as c
from bot.core import Core
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.replies import Button, Reply, Tone
from tests.discord.conftest import Tree
from tests.discord.fakes import ADA, BOB, click, colour_of, slash, text_of


def names(fake: TogglEmulator) -> list[str]:
    return [x.name for x in fake.clients(fake.workspace_ids()[0])]


async def ask_to_delete(tree: Tree, bot: TogglBot, core: Core, key: UserKey,
                        fake: TogglEmulator) -> ActionButton:
    """`/toggl client delete` for a client with a Toggl-sized id (8 digits)."""
    fake._ids = itertools.count(12_345_678)  # real ids are this long
    fake.add_client(fake.workspace_ids()[0], "Initech")
    await core.execute(key, c.Refresh())
    fake.reset_log()
    ask = await tree(slash(bot, "client delete", name="initech"))
    assert ask.only.embed is not None and ask.only.embed.title == "Delete client “Initech”?"
    assert colour_of(ask.only.embed) is Tone.WARNING and fake.count() == 0
    return ask.only.button("Delete client")


class TestDeleteClient:
    async def test_the_owner_clicks_and_the_client_is_deleted(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator,
    ) -> None:
        button = await ask_to_delete(tree, discord_bot, core, ada_on_discord, fake_toggl)
        assert button.mode == "ref" and len(button.custom_id) <= CUSTOM_ID_MAX
        done = await click(discord_bot, button)
        assert done.only.ephemeral and done.only.embed is not None
        assert done.only.embed.title == "Deleted client “Initech”"
        assert "Initech" not in names(fake_toggl) and fake_toggl.count() == 1

    async def test_someone_else_is_refused_and_nothing_changes(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator,
    ) -> None:
        button = await ask_to_delete(tree, discord_bot, core, ada_on_discord, fake_toggl)
        refused = await click(discord_bot, button, user=BOB)
        assert refused.only.ephemeral and refused.fake_response.deferred is None
        assert refused.only.embed is not None
        assert refused.only.embed.title == "This is not your entry"
        assert "Initech" in names(fake_toggl) and fake_toggl.count() == 0

    async def test_the_core_refuses_bob_even_with_adas_command_text(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator,
    ) -> None:
        button = await ask_to_delete(tree, discord_bot, core, ada_on_discord, fake_toggl)
        command = discord_bot.bridge.long.get(button.command)  # type: ignore[union-attr]
        assert command is not None and command.startswith("delete client 1234")
        bob = fake_toggl.add_user("bob-token-123456", "Bob", "Europe/Berlin").token
        await core.execute(UserKey("discord", "discord", str(BOB)), c.Login(SecretStr(bob)))
        fake_toggl.reset_log()
        forged = ActionButton(BOB, "run", command, "Delete client")  # as if Bob owned it
        refused = await click(discord_bot, forged, user=BOB)
        assert "someone else's" in text_of(refused.only.embed)
        assert "Initech" in names(fake_toggl) and fake_toggl.count() == 0

    async def test_after_the_key_expires_the_click_says_so(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator,
    ) -> None:
        button = await ask_to_delete(tree, discord_bot, core, ada_on_discord, fake_toggl)
        assert discord_bot.bridge is not None
        discord_bot.bridge.long = LongCommands()  # a restart forgets what it kept
        done = await click(discord_bot, button)
        assert done.only.embed is not None
        assert done.only.embed.title == "This button has expired"
        assert "Initech" in names(fake_toggl) and fake_toggl.count() == 0


class TestLongCommands:
    def test_short_commands_stay_in_the_custom_id_long_ones_get_a_key(self) -> None:
        long_text = "delete client 12345678 confirm " + "x" * 60
        reply = Reply(title="?", buttons=(Button("Stop", "stop"), Button("Delete", long_text)))
        kept = LongCommands()
        view = build_view(reply, ADA, long=kept)
        assert view is not None
        stop, delete = [b for b in view.children if isinstance(b, ActionButton)]
        assert stop.custom_id == f"toggl:{ADA}:run:stop"
        assert delete.mode == "ref" and len(delete.custom_id) <= CUSTOM_ID_MAX
        assert kept.get(delete.command) == long_text
        without = build_view(reply, ADA)  # nowhere to keep it: left out, never cut
        assert without is not None and len(without.children) == 1

    def test_keys_expire_and_memory_is_bounded(self) -> None:
        now = [0.0]
        kept = LongCommands(keep_for=600, limit=3, clock=lambda: now[0])
        first = kept.put("a")
        now[0] = 599
        assert kept.get(first) == "a"
        now[0] = 601
        assert kept.get(first) is None
        keys = [kept.put(str(n)) for n in range(5)]
        assert [kept.get(k) for k in keys] == [None, None, "2", "3", "4"]
        assert kept.get("unknown") is None
