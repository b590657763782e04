"""Buttons and the token form: Discord components that hand clicks back to the bridge.

A button carries its owner and the command it runs in its ``custom_id``, so a click is
understood by any process, even after a restart (a persistent ``DynamicItem``), and the
bot can tell the owner from a bystander without remembering the message.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable
from typing import Any, Literal, Protocol, cast

import discord

from adapters.discord.render import NO_PINGS, embed
from bot.confirm import CONFIRM_FOR
from bot.replies import Button, Reply, Tone

log = logging.getLogger(__name__)

Mode = Literal["run", "share", "ref"]  # ref: the command is kept in LongCommands
CUSTOM_ID_MAX = 100  # Discord's limit
LONG_COMMANDS_MAX = 10_000
SHARE_LABEL = "Share in channel"
TOKEN_BUTTON = Button("Enter token", "login", "primary")
_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
    "default": discord.ButtonStyle.secondary,
}


class Actions(Protocol):
    """What a click or a submitted form asks of the adapter (the bridge implements it)."""

    async def click(
        self, interaction: discord.Interaction[Any], owner_id: int, mode: Mode, command: str
    ) -> None: ...

    async def submit_token(self, interaction: discord.Interaction[Any], token: str) -> None: ...


def actions_of(interaction: discord.Interaction[Any]) -> Actions:
    """The bridge the running client carries (see ``client.TogglBot``)."""
    actions = getattr(interaction.client, "bridge", None)
    if actions is None:
        raise RuntimeError("this Discord client has no core attached")
    return cast(Actions, actions)


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"toggl:(?P<owner>[0-9]+):(?P<mode>run|share|ref):(?P<command>.+)",
):
    """Runs ``command`` (text of the core's grammar) for its owner; ``share`` posts it.

    In ``ref`` mode ``command`` is a key into ``LongCommands``: the command was too long
    for Discord's 100-character custom_id (a Delete button's confirmation token).
    """

    def __init__(
        self, owner_id: int, mode: Mode, command: str, label: str = "", style: str = "default"
    ) -> None:
        self.owner_id = owner_id
        self.mode: Mode = mode
        self.command = command
        super().__init__(
            discord.ui.Button(
                label=label or command,
                style=_STYLES.get(style, discord.ButtonStyle.secondary),
                custom_id=f"toggl:{owner_id}:{mode}:{command}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ActionButton:
        mode = cast(Mode, match["mode"])
        return cls(int(match["owner"]), mode, match["command"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await actions_of(interaction).click(interaction, self.owner_id, self.mode, self.command)


class TokenModal(discord.ui.Modal, title="Connect your Toggl account"):
    """Asks for the API token privately; the text never appears in a message."""

    token: discord.ui.Label[TokenModal] = discord.ui.Label(
        text="Toggl API token",
        description="At the bottom of Toggl Track's Profile settings page.",
        component=discord.ui.TextInput(min_length=6, max_length=128),
    )

    def __init__(self) -> None:
        super().__init__(timeout=600)

    @property
    def token_input(self) -> discord.ui.TextInput[TokenModal]:
        field = self.token.component
        assert isinstance(field, discord.ui.TextInput)
        return field

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await actions_of(interaction).submit_token(interaction, self.token_input.value)

    # discord.py's Modal narrows BaseView.on_error the same way (no ``item``).
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        # Log the type only: the default handler logs the exception, which could quote input.
        log.error("token form failed: %s", type(error).__name__)
        if not interaction.response.is_done():
            oops = Reply(title="Something went wrong on our side. Try again in a moment.",
                         tone=Tone.ERROR)
            await interaction.response.send_message(
                embed=embed(oops), ephemeral=True, allowed_mentions=NO_PINGS
            )


class LongCommands:
    """Button commands too long for a custom_id, kept in this process under a short key.

    A button whose command fits carries it (and survives restarts); a longer one, e.g.
    `delete client <id> confirm <token>`, carries a random key instead. The key lives as
    long as a confirmation token (10 minutes) and not across a restart: a click after that
    is told the button expired. The newest ``limit`` keys are kept, so memory stays bounded.
    """

    def __init__(
        self,
        keep_for: float = CONFIRM_FOR.total_seconds(),
        limit: int = LONG_COMMANDS_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keep_for = keep_for
        self.limit = limit
        self.clock = clock
        self._kept: dict[str, tuple[str, float]] = {}  # key -> (command, expires); oldest first

    def put(self, command: str) -> str:
        now = self.clock()
        for key, (_, expires) in list(self._kept.items()):
            if expires > now and len(self._kept) < self.limit:
                break
            del self._kept[key]
        key = secrets.token_urlsafe(12)
        self._kept[key] = (command, now + self.keep_for)
        return key

    def get(self, key: str) -> str | None:
        command, expires = self._kept.get(key, ("", 0.0))
        return command if command and expires > self.clock() else None


def build_view(
    reply: Reply, owner_id: int, share: str | None = None, long: LongCommands | None = None
) -> discord.ui.View | None:
    """Buttons for ``reply``, each bound to ``owner_id``; ``share`` adds "Share in channel".

    A command too long for a custom_id is kept in ``long``; without it the button is left out.
    """
    # Link buttons (a Slack authorization) belong to Slack's replies only.
    buttons = [_button(owner_id, b, long) for b in reply.buttons if not b.url]
    if reply.ask_token:
        buttons.append(_button(owner_id, TOKEN_BUTTON, long))
    if share and reply.shareable and not reply.public:
        buttons.append(ActionButton(owner_id, "share", share, SHARE_LABEL))
    buttons = [b for b in buttons if len(b.custom_id) <= CUSTOM_ID_MAX]
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons[:25]:  # Discord's limit per message
        view.add_item(button)
    return view


def _button(owner_id: int, button: Button, long: LongCommands | None) -> ActionButton:
    made = ActionButton(owner_id, "run", button.command, button.label, button.style)
    if len(made.custom_id) <= CUSTOM_ID_MAX or long is None:
        return made
    return ActionButton(owner_id, "ref", long.put(button.command), button.label, button.style)
