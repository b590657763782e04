"""A Discord interaction without Discord: real discord.py parsing, recorded answers.

``FakeInteraction`` is a real ``discord.Interaction`` built from a gateway payload, so the
command tree parses options, choices and autocomplete exactly as in production (the way
discord.py's own tests/test_app_commands_invoke.py does). Only its two exits are fakes:
``response`` (defer / send_message / send_modal / autocomplete) and ``followup`` (send).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import discord
from discord.enums import InteractionResponseType
from discord.utils import MISSING

from adapters.discord.client import TogglBot
from adapters.discord.render import COLOURS
from adapters.discord.views import ActionButton, TokenModal
from bot.replies import Tone

ADA = 111111111111111111
BOB = 222222222222222222
GUILD = 333333333333333333
CHANNEL = 444444444444444444

_ids = itertools.count(900000000000000000)
_OPTION_TYPES = {str: 3, int: 4, bool: 5}


@dataclass
class Sent:
    """One message the adapter sent, as Discord would receive it."""

    # "response" (the first answer), "followup", "edit" (the clicked card) or "original"
    # (the answer that replaces "thinking…" after a deferred command)
    via: str
    embed: discord.Embed | None
    view: discord.ui.View | None
    ephemeral: bool
    allowed_mentions: discord.AllowedMentions | None
    file: discord.File | None = None

    @property
    def labels(self) -> list[str]:
        return [b.item.label or "" for b in self.buttons]

    @property
    def buttons(self) -> list[ActionButton]:
        return [i for i in (self.view.children if self.view else []) if isinstance(i, ActionButton)]

    def button(self, label: str) -> ActionButton:
        return next(b for b in self.buttons if b.item.label == label)


@dataclass
class Deferred:
    ephemeral: bool
    thinking: bool


class FakeResponse:
    """``interaction.response``: one answer only, as Discord insists."""

    def __init__(self, log: list[Sent]) -> None:
        self.log = log
        self.deferred: Deferred | None = None
        self.modal: discord.ui.Modal | None = None
        self.choices: list[discord.app_commands.Choice[str]] | None = None
        self._done = False

    def is_done(self) -> bool:
        return self._done

    @property
    def type(self) -> InteractionResponseType | None:
        """What the first answer was, as discord.py records it."""
        if self.deferred is not None:
            return (InteractionResponseType.deferred_channel_message if self.deferred.thinking
                    else InteractionResponseType.deferred_message_update)
        if self.modal is not None:
            return InteractionResponseType.modal
        if self.choices is not None:
            return InteractionResponseType.autocomplete_result
        return InteractionResponseType.channel_message if self._done else None

    def _answer(self) -> None:
        assert not self._done, "an interaction can be answered only once"
        self._done = True

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> None:
        self._answer()
        self.deferred = Deferred(ephemeral, thinking)

    async def send_message(
        self, content: Any = None, *, embed: discord.Embed | None = None, view: Any = MISSING,
        ephemeral: bool = False, allowed_mentions: Any = None, file: Any = MISSING, **_: Any,
    ) -> None:
        self._answer()
        self.log.append(Sent("response", embed, view or None, ephemeral, allowed_mentions,
                             file or None))

    async def send_modal(self, modal: discord.ui.Modal) -> None:
        self._answer()
        self.modal = modal

    async def autocomplete(self, choices: list[discord.app_commands.Choice[str]]) -> None:
        self._answer()
        self.choices = choices


class FakeFollowup:
    """``interaction.followup``: messages after the first answer."""

    def __init__(self, log: list[Sent], response: FakeResponse) -> None:
        self.log = log
        self.response = response

    async def send(
        self, content: Any = None, *, embed: discord.Embed | None = None, view: Any = MISSING,
        ephemeral: bool = False, allowed_mentions: Any = None, file: Any = MISSING, **_: Any,
    ) -> None:
        assert self.response.is_done(), "a follow-up needs a first answer (or a defer)"
        self.log.append(Sent("followup", embed, view or None, ephemeral, allowed_mentions,
                             file or None))


class FakeInteraction(discord.Interaction):  # type: ignore[type-arg]
    def __init__(self, client: TogglBot, payload: dict[str, Any]) -> None:
        super().__init__(data=payload, state=client._connection)  # type: ignore[arg-type]
        self.sent: list[Sent] = []
        self.fake_response = FakeResponse(self.sent)
        # Pre-fill discord.py's cached slots: these two are all the adapter talks to.
        self._cs_response = self.fake_response
        self._cs_followup = FakeFollowup(self.sent, self.fake_response)

    async def edit_original_response(
        self, *, embed: discord.Embed | None = None, view: Any = MISSING,
        allowed_mentions: Any = None, attachments: Any = MISSING, **_: Any,
    ) -> None:
        """After a deferred update: replaces the clicked message, which keeps its visibility
        (every card with our buttons is private, so it stays private). After a deferred
        command: replaces "thinking…", private or not as the defer said."""
        assert self.fake_response.is_done(), "edit the original only after answering"
        deferred = self.fake_response.deferred
        assert deferred is not None
        if deferred.thinking:
            file = attachments[0] if attachments else None
            self.sent.append(Sent("original", embed, view or None, deferred.ephemeral,
                                  allowed_mentions, file))
            return
        self.sent.append(Sent("edit", embed, view or None, True, allowed_mentions))

    @property
    def only(self) -> Sent:
        assert len(self.sent) == 1, self.sent
        return self.sent[0]


def _user(user_id: int) -> dict[str, Any]:
    name = {ADA: "ada", BOB: "bob"}.get(user_id, f"user{user_id}")
    return {"id": str(user_id), "username": name, "discriminator": "0", "avatar": None,
            "global_name": name.title()}


# What the invite link grants (README): View Channel, Send Messages, Embed Links, Attach Files.
INVITED = discord.Permissions(view_channel=True, send_messages=True, embed_links=True,
                              attach_files=True)


def _payload(kind: int, data: dict[str, Any], user: int, guild: int | None,
             channel: int = CHANNEL, permissions: discord.Permissions = INVITED,
             installed: bool = True) -> dict[str, Any]:
    """``installed``: the server added the app (or it's the DM with the bot); False: the
    person uses it from their own account's install (context 0 in a server, 2 in a DM)."""
    payload: dict[str, Any] = {
        "id": str(next(_ids)), "application_id": "1", "type": kind, "data": data,
        "token": "interaction-token", "version": 1, "channel_id": str(channel),
        "attachment_size_limit": 8 * 1024 * 1024, "locale": "en-US",
        "app_permissions": str(permissions.value),  # the bot's, in this channel
        "context": (0 if guild is not None else 1) if installed else (
            0 if guild is not None else 2),
        "authorizing_integration_owners": {"0": str(guild or 0)} if installed
        else {"1": str(user)},
    }
    if guild is None:
        payload["user"] = _user(user)
        payload["channel"] = {"id": str(channel), "type": 1, "recipients": [_user(user)]}
    else:
        payload["guild_id"] = str(guild)
        # Discord sends the channel as an object too; discord.py reads channel_id from it.
        payload["channel"] = {"id": str(channel), "type": 0, "guild_id": str(guild),
                              "name": "general", "position": 0, "nsfw": False,
                              "permission_overwrites": [], "flags": 0}
        payload["member"] = {"user": _user(user), "roles": [], "joined_at": None,
                             "deaf": False, "mute": False, "permissions": "0", "flags": 0}
    return payload


def _options(options: dict[str, Any], focused: str | None = None) -> list[dict[str, Any]]:
    return [
        {"type": _OPTION_TYPES[type(value)], "name": name, "value": value}
        | ({"focused": True} if name == focused else {})
        for name, value in options.items()
    ]


def _sub(sub: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """``"tags"`` is a subcommand; ``"add client"`` is subcommand ``client`` of group ``add``."""
    group, _, name = sub.rpartition(" ")
    leaf = {"type": 1, "name": name, "options": options}
    return {"type": 2, "name": group, "options": [leaf]} if group else leaf


def slash(client: TogglBot, sub: str, /, *, user: int = ADA, guild: int | None = GUILD,
          channel: int = CHANNEL, permissions: discord.Permissions = INVITED,
          installed: bool = True, **options: Any) -> FakeInteraction:
    """``/toggl <sub> option:value ...``; pass option names as Discord shows them.
    ``permissions``: the bot's in the channel, as Discord sends them; ``installed``: see
    ``_payload``."""
    data = {"id": "1", "type": 1, "name": "toggl", "options": [_sub(sub, _options(options))]}
    return FakeInteraction(client, _payload(2, data, user, guild, channel, permissions,
                                            installed))


def typing(client: TogglBot, sub: str, focused: str, typed: str, *, user: int = ADA,
           **options: Any) -> FakeInteraction:
    """An autocomplete request while the person types ``typed`` into ``focused``."""
    data = {"id": "1", "type": 1, "name": "toggl",
            "options": [_sub(sub, _options({**options, focused: typed}, focused))]}
    return FakeInteraction(client, _payload(4, data, user, GUILD))


async def click(client: TogglBot, button: ActionButton, *, user: int = ADA) -> FakeInteraction:
    """A click, dispatched the way discord.py dispatches a persistent ``DynamicItem``."""
    custom_id = button.custom_id
    interaction = FakeInteraction(
        client, _payload(3, {"custom_id": custom_id, "component_type": 2}, user, GUILD)
    )
    match = ActionButton.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None, custom_id
    # A fresh item from the custom_id alone: what happens after a restart too.
    item = await ActionButton.from_custom_id(interaction, button.item, match)
    await item.callback(interaction)
    return interaction


async def submit(client: TogglBot, modal: TokenModal, token: str, *, user: int = ADA
                 ) -> FakeInteraction:
    """The token form submitted, through discord.py's own modal handling."""
    components = [{"type": 18, "component": {
        "type": 4, "custom_id": modal.token_input.custom_id, "value": token
    }}]
    interaction = FakeInteraction(
        client, _payload(5, {"custom_id": modal.custom_id, "components": components}, user, GUILD)
    )
    await modal._scheduled_task(interaction, components, {})  # type: ignore[arg-type]
    return interaction


def text_of(embed: discord.Embed | None) -> str:
    """Everything a person reads in an embed, in one string."""
    assert embed is not None
    parts = [embed.author.name or "", embed.title or "", embed.description or ""]
    parts += [f"{f.name} {f.value}" for f in embed.fields]
    parts.append(embed.footer.text or "")
    return "\n".join(parts)


def colour_of(embed: discord.Embed | None) -> Tone:
    assert embed is not None
    return next(tone for tone, colour in COLOURS.items() if colour == embed.colour)
