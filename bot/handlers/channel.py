"""channel project / show / off: a channel's default project and tags. No Toggl calls.

Anyone in the channel may set it (it is a convenience, not a permission): the reply is
posted in the channel and says who set it. The project name is checked against the
setter's cached catalog, never fetched: `refresh` first if a new project is missing.
"""

from __future__ import annotations

from dataclasses import replace

from bot import commands as c
from bot.channels import ChannelDefault
from bot.context import Context
from bot.digest.model import Channel
from bot.errors import LookupFailed, UsageError
from bot.grammar.declare import handles
from bot.lookup import match
from bot.mention import mention, usage
from bot.replies import Reply, Tone

SET_ONE = f"Set one with `{usage('channel project')}`."


def _here(ctx: Context) -> Channel:
    if not ctx.channel_id:
        raise UsageError("A default project belongs to a channel: run this in that channel.")
    return Channel(ctx.key.platform, ctx.key.team_id, ctx.channel_id)


def describe(default: ChannelDefault) -> str:
    """``@Website #meeting``: how the default reads, as a person would type it."""
    project = f'@"{default.project}"' if " " in default.project else f"@{default.project}"
    return " ".join([project, *(f"#{t}" for t in default.tags)])


async def apply_default(cmd: c.Start, ctx: Context) -> tuple[c.Start, str]:
    """``start`` in a channel with a default: its project and tags, unless the person
    named their own. The project must be one of theirs (their cache, no Toggl request);
    if it isn't, the timer starts without it and the reply says why."""
    if (cmd.project and cmd.tags) or ctx.channels is None or not ctx.channel_id:
        return cmd, ""
    default = await ctx.channels.get_default(_here(ctx))
    if default is None or ctx.account is None:
        return cmd, ""
    tags = cmd.tags or default.tags
    if cmd.project:
        return replace(cmd, tags=tags), ""
    catalog = await ctx.cached_catalog()
    try:
        project = match(default.project, [p for p in catalog.projects if p.active] if catalog
                        else [], lambda p: p.name, "project")
    except LookupFailed:
        return replace(cmd, tags=tags), (f"This channel's project {default.project} isn't one "
                                         "of your Toggl projects, so the timer has none.")
    return replace(cmd, project=project.name, tags=tags), "In this channel's project."


@handles(c.ChannelProject)
async def set_project(cmd: c.ChannelProject, ctx: Context) -> Reply:
    where = _here(ctx)
    account = ctx.require_account()
    catalog = await ctx.cached_catalog()
    if catalog is None:
        raise LookupFailed(f"I don't know your projects yet: run `{mention('refresh')}` first.")
    try:
        project = match(cmd.project or "", [p for p in catalog.projects if p.active],
                        lambda p: p.name, "project")
    except LookupFailed as exc:
        raise LookupFailed(f"{exc.message} (`{mention('refresh')}` reloads your projects "
                           "if it is new.)") from None
    default = ChannelDefault(project.name, cmd.tags, ctx.key.user_id)
    await ctx.channel_store().set_default(where, default)
    return Reply(
        title=f"This channel's project is now {describe(default)}",
        lines=(f"Set by {account.name or 'a member'}. `start` and Track this message use it "
               "here unless you name another project or tags.",
               f"`{mention('channel off')}` removes it."),
        tone=Tone.SUCCESS,
        public=True,  # the channel should know where its timers go now
    )


@handles(c.ChannelShow)
async def show(cmd: c.ChannelShow, ctx: Context) -> Reply:
    default = await ctx.channel_store().get_default(_here(ctx))
    if default is None:
        return Reply(title="This channel has no default project", lines=(SET_ONE,))
    return Reply(
        title=f"This channel's project: {describe(default)}",
        lines=("`start` and Track this message use it here unless you name others.",
               f"`{mention('channel off')}` removes it."),
    )


@handles(c.ChannelOff)
async def off(cmd: c.ChannelOff, ctx: Context) -> Reply:
    removed = await ctx.channel_store().clear_default(_here(ctx))
    if not removed:
        return Reply(title="This channel had no default project", lines=(SET_ONE,))
    who = ctx.account.name if ctx.account is not None and ctx.account.name else "a member"
    return Reply(title="This channel's default project is removed",
                 lines=(f"Removed by {who}.",), tone=Tone.SUCCESS, public=True)
