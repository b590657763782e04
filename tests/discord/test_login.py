"""Login through a Discord form: verified with Toggl before storing, never echoed."""

from __future__ import annotations

from adapters.discord.client import TogglBot
from adapters.discord.views import ActionButton, TokenModal, build_view
from bot.core import Core
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.replies import Button, Reply, Tone
from tests.discord.conftest import Tree
from tests.discord.fakes import ADA, FakeInteraction, click, colour_of, slash, submit, text_of

KEY = UserKey("discord", "discord", str(ADA))
WRONG = "not-a-real-token-123456"


def everything_shown(done: FakeInteraction) -> str:
    """All text and custom ids the person (or anyone) could see."""
    parts = [text_of(s.embed) for s in done.sent]
    parts += [b.custom_id for s in done.sent for b in s.buttons]
    return "\n".join(parts)


def form_of(done: FakeInteraction) -> TokenModal:
    modal = done.fake_response.modal
    assert isinstance(modal, TokenModal)
    return modal


class TestLoginForm:
    async def test_login_without_a_token_opens_the_form_at_once(
        self, tree: Tree, discord_bot: TogglBot, toggl_token: str, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(slash(discord_bot, "login"))
        assert form_of(done).token.text == "Toggl API token"
        assert done.sent == [] and fake_toggl.count() == 0

    async def test_a_valid_token_connects_and_is_never_shown(
        self, tree: Tree, discord_bot: TogglBot, core: Core, toggl_token: str,
        fake_toggl: TogglEmulator,
    ) -> None:
        modal = form_of(await tree(slash(discord_bot, "login")))
        done = await submit(discord_bot, modal, toggl_token)
        assert done.fake_response.deferred is not None
        assert done.fake_response.deferred.ephemeral
        assert done.only.ephemeral and done.only.embed is not None
        assert done.only.embed.title == "Connected as Ada Lovelace"
        assert toggl_token not in everything_shown(done)
        assert toggl_token not in repr(modal) + repr(modal.token) + repr(modal.token_input)
        assert await core.store.get_account(KEY) is not None
        assert fake_toggl.count("GET") == 1  # verified with Toggl before storing

    async def test_a_rejected_token_is_not_stored_and_offers_the_form_again(
        self, tree: Tree, discord_bot: TogglBot, core: Core, toggl_token: str
    ) -> None:
        modal = form_of(await tree(slash(discord_bot, "login")))
        done = await submit(discord_bot, modal, WRONG)
        assert done.only.ephemeral and colour_of(done.only.embed) is Tone.ERROR
        assert "didn't accept" in text_of(done.only.embed)
        assert WRONG not in everything_shown(done)
        assert await core.store.get_account(KEY) is None
        again = await click(discord_bot, done.only.button("Enter token"))
        assert isinstance(again.fake_response.modal, TokenModal)

    def test_there_is_no_option_to_paste_a_token_into(self, discord_bot: TogglBot) -> None:
        # Option values show in the channel's command preview: the form is the only way.
        group = discord_bot.tree.get_commands()[0]
        login = next(c for c in group.walk_commands() if c.qualified_name == "toggl login")
        assert login.to_dict(discord_bot.tree).get("options", []) == []

    async def test_the_cores_connect_button_opens_the_form_without_calling_toggl(
        self, discord_bot: TogglBot, toggl_token: str, fake_toggl: TogglEmulator
    ) -> None:
        reply = Reply(title="Not connected to Toggl",
                      buttons=(Button("Connect Toggl", "login", "primary"),))
        view = build_view(reply, ADA)
        assert view is not None
        button = next(b for b in view.children if isinstance(b, ActionButton))
        done = await click(discord_bot, button)
        assert isinstance(done.fake_response.modal, TokenModal)
        assert fake_toggl.count() == 0


async def test_not_connected_offers_the_private_form_in_discords_words(
    tree: Tree, discord_bot: TogglBot, fake_toggl: TogglEmulator
) -> None:
    done = await tree(slash(discord_bot, "stop"))
    assert done.only.embed is not None
    assert done.only.embed.title == "You're not connected to Toggl yet."
    assert "`/toggl login`" in text_of(done.only.embed)
    opened = await click(discord_bot, done.only.button("Connect Toggl"))
    assert isinstance(opened.fake_response.modal, TokenModal)
    assert fake_toggl.count() == 0
