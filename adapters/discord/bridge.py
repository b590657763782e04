"""Between discord.py and the core: who is asking, where, when to defer, how to answer.

Discord wants an answer within 3 seconds. Commands that may call Toggl defer first (the
person sees "thinking…") and answer through the follow-up webhook; the rest answer at once.
Answers are private unless the core marks a reply ``public`` (a digest set up or stopped:
the channel should know). Those never call Toggl, so they are never deferred privately,
which would make the follow-up private too.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import discord
from discord.app_commands import Choice
from discord.enums import InteractionResponseType
from discord.utils import MISSING
from pydantic import SecretStr

from adapters.discord.access import DiscordChannelAccess, installed_here
from adapters.discord.in_flight import InFlight, tracked
from adapters.discord.render import NO_PINGS, embed
from adapters.discord.track import TrackModal, plain_text
from adapters.discord.views import Actions, LongCommands, Mode, TokenModal, build_view
from bot import commands as c
from bot.core import Core, SuggestKind
from bot.dialects.options import from_options
from bot.dialects.text import parse
from bot.domain import UserKey
from bot.errors import UsageError
from bot.grammar.declare import Declaration
from bot.replies import Reply, Tone, error

# Commands about the channel they are typed in: a DM has no channel to post a digest to.
CHANNEL_BOUND = (c.DigestAt, c.DigestJoin, c.DigestLeave, c.DigestShow, c.DigestOff)
NOT_IN_DMS = ("Digests are posted in a server channel: run this command in the channel "
              "that should get it.")
NOT_INSTALLED = ("Digests are posted by togglbot itself: ask a server admin to add it to this "
                 "server (you have it on your own account only).")
CHOICES_MAX = 25  # Discord's limit for autocomplete answers
CHOICE_MAX = 100  # ... and for one choice's name and value
NOT_YOURS = Reply(
    title="This is not your entry",
    lines=("Buttons act for the person they were shown to. "
           "Use `/toggl current` to see your own timer.",),
    tone=Tone.WARNING,
)
EXPIRED = Reply(
    title="This button has expired",
    lines=("Run the command again to get a new one.",),
    tone=Tone.WARNING,
)

Interaction = discord.Interaction[Any]


def key_of(user: discord.abc.User) -> UserKey:
    """The core's identity for a Discord user.

    A Discord user id is global (unlike Slack's, which are per workspace), so the team is
    always "discord": one person is ONE account in every server and in DMs, and a login
    made anywhere works everywhere.
    """
    return UserKey("discord", "discord", str(user.id))


def channel_of(interaction: Interaction) -> str:
    """Where the interaction happened, for the core; "" when Discord didn't say."""
    return str(interaction.channel_id) if interaction.channel_id is not None else ""


class Bridge(Actions):
    """Runs slash commands, clicks and the token form against the core, and answers."""

    def __init__(self, core: Core, long: LongCommands | None = None) -> None:
        self.core = core
        self.long = long or LongCommands()
        self.in_flight = InFlight()

    @tracked
    async def command(
        self, interaction: Interaction, decl: Declaration, values: Mapping[str, str | bool]
    ) -> None:
        """A `/toggl …` command: the core builds it from the option values and runs it."""
        try:
            command = from_options(decl, values)
        except UsageError as exc:
            await self._send(interaction, self.core.explain(exc, "discord"))
            return
        if _asks_for_token(command):
            await interaction.response.send_modal(TokenModal())
            return
        if decl.worst_calls:
            await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self._execute(interaction, command)
        share = _share_text(command) if installed_here(interaction) else None
        await self._send(interaction, reply, share=share)

    async def track_message(self, interaction: Interaction, message: discord.Message) -> None:
        """"Track this message": the form, prefilled (no Toggl request to open it)."""
        key = key_of(interaction.user)
        default = await self.core.channel_default(key.platform, key.team_id,
                                                  channel_of(interaction))
        await interaction.response.send_modal(TrackModal(plain_text(message), default))

    @tracked
    async def submit_track(self, interaction: Interaction, track: c.Track) -> None:
        """The form, submitted: one Toggl request (start, or add) for the person."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._send(interaction, await self._execute(interaction, track))

    async def suggest(
        self, interaction: Interaction, kind: SuggestKind, typed: str, before: str = ""
    ) -> list[Choice[str]]:
        """Autocomplete from the core's cache (no Toggl call); ``before`` prefixes each value."""
        names = await self.core.suggest(key_of(interaction.user), kind, typed, CHOICES_MAX)
        values = [(before + name)[:CHOICE_MAX] for name in names]
        return [Choice(name=value, value=value) for value in values[:CHOICES_MAX]]

    @tracked
    async def click(
        self, interaction: Interaction, owner_id: int, mode: Mode, command: str
    ) -> None:
        """A button: it acts for the person who clicks, and only its owner may click it."""
        if interaction.user.id != owner_id:
            await self._send(interaction, NOT_YOURS)
            return
        if mode == "ref":
            kept = self.long.get(command)
            if kept is None:
                await self._send(interaction, EXPIRED)
                return
            command, mode = kept, "run"
        try:
            parsed = parse(command)
        except UsageError as exc:
            await self._send(interaction, self.core.explain(exc, "discord"))
            return
        if mode == "share":
            await self._share(interaction, parsed)
        elif _asks_for_token(parsed):
            await interaction.response.send_modal(TokenModal())
        else:
            # A deferred update: the answer replaces the card the button sits on, as in Slack.
            await interaction.response.defer()
            reply = await self._execute(interaction, parsed)
            share = _share_text(parsed) if installed_here(interaction) else None
            await self._update(interaction, reply, share=share)

    @tracked
    async def submit_token(self, interaction: Interaction, token: str) -> None:
        """The token form: verified by the core with Toggl before it is stored; never shown."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        login = c.Login(SecretStr(token.strip()))
        await self._send(interaction, await self._execute(interaction, login))

    async def _share(self, interaction: Interaction, command: c.Command) -> None:
        """Re-run the summary for the clicker and post it where everyone sees it."""
        if not isinstance(command, c.Summary):
            await self._send(interaction, error("Only summaries can be shared."))
            return
        # No "thinking" message: it would be public, and so would a failure. Errors stay private.
        await interaction.response.defer()
        reply = await self._execute(interaction, command)
        if not reply.shareable:
            await self._send(interaction, reply)
            return
        # The public post is a report: no buttons, and the quota warning stays personal.
        post = replace(reply, buttons=(), footer="", shareable=False, public=True)
        await self._send(interaction, post, author=f"Shared by {interaction.user.display_name}")

    async def _execute(self, interaction: Interaction, command: c.Command) -> Reply:
        """Run ``command`` for the person who interacted, in the channel they did it in."""
        if isinstance(command, CHANNEL_BOUND) and interaction.guild_id is None:
            return error(NOT_IN_DMS)
        if isinstance(command, CHANNEL_BOUND) and not installed_here(interaction):
            return error(NOT_INSTALLED)
        return await self.core.execute(
            key_of(interaction.user), command, channel_id=channel_of(interaction),
            access=DiscordChannelAccess.of(interaction),
        )

    async def _update(
        self, interaction: Interaction, reply: Reply, *, share: str | None = None
    ) -> None:
        """Replace the clicked card with the reply; errors and images come as a new message,
        so the card (and its buttons) stays usable."""
        if reply.tone in (Tone.ERROR, Tone.WARNING) or reply.image is not None or reply.public:
            await self._send(interaction, reply, share=share)
            return
        view = build_view(reply, interaction.user.id, share, self.long)
        await interaction.edit_original_response(
            embed=embed(reply), view=view, allowed_mentions=NO_PINGS
        )

    async def _send(
        self, interaction: Interaction, reply: Reply, *, share: str | None = None, author: str = ""
    ) -> None:
        card = embed(reply, author)
        view = build_view(reply, interaction.user.id, share, self.long)
        file = MISSING
        if reply.image is not None:
            file = discord.File(io.BytesIO(reply.image), filename="chart.png")
            card.set_image(url="attachment://chart.png")
        # Where only the person has the app (their own install), answers stay private.
        ephemeral = not reply.public or not installed_here(interaction)
        if interaction.response.type is InteractionResponseType.deferred_channel_message:
            # The answer replaces "thinking…": Discord documents a follow-up that silently
            # edits it as deprecated, so edit the original response instead.
            await interaction.edit_original_response(
                embed=card, view=view, attachments=[file] if file else MISSING,
                allowed_mentions=NO_PINGS,
            )
        elif interaction.response.is_done():
            await interaction.followup.send(
                embed=card, view=view or MISSING, file=file, ephemeral=ephemeral,
                allowed_mentions=NO_PINGS,
            )
        else:
            await interaction.response.send_message(
                embed=card, view=view or MISSING, file=file, ephemeral=ephemeral,
                allowed_mentions=NO_PINGS,
            )


def bridge_of(interaction: Interaction) -> Bridge:
    """The bridge the running client carries (see ``client.TogglBot``)."""
    bridge = getattr(interaction.client, "bridge", None)
    if not isinstance(bridge, Bridge):
        raise RuntimeError("this Discord client has no core attached")
    return bridge


def _asks_for_token(command: c.Command) -> bool:
    # The form must be the first answer to an interaction, so it opens before anything else.
    return isinstance(command, c.Login) and command.token is None


def _share_text(command: c.Command) -> str | None:
    """The summary again, as grammar text for the share button's custom_id."""
    if not isinstance(command, c.Summary):
        return None
    period = command.period
    if period.name != "range":
        return f"summary {period.name}"
    return f"summary {period.first}..{period.last}"
