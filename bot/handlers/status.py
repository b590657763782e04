"""status on / off: the running timer in the person's Slack status (bot.status). No Toggl
calls: `status on` hands out the platform's authorization link, `status off` gives the
permission back."""

from __future__ import annotations

from bot import commands as c
from bot import status
from bot.context import Context
from bot.grammar.declare import handles
from bot.handlers.home import Setting, home_setting
from bot.mention import mention
from bot.replies import Button, Reply, Tone

ONLY_SLACK = Reply(
    title="Your timer in your status is a Slack feature",
    lines=(f"Run it in Slack. Here, `{mention('current')}` shows your running timer.",),
    tone=Tone.WARNING,
)
NOT_SET_UP = Reply(
    title="This bot's Slack app can't ask for your status",
    lines=("Whoever runs the bot needs to set it up with SLACK_CLIENT_ID and "
           "SLACK_CLIENT_SECRET (see README, \"Your timer in your Slack status\").",),
    tone=Tone.WARNING,
)


@handles(c.StatusOn)
async def status_on(cmd: c.StatusOn, ctx: Context) -> Reply:
    board, links = ctx.status_board, ctx.status_links
    if board is None or links is None:
        return ONLY_SLACK
    ctx.require_account()  # the status shows the Toggl timer: connect that first
    url = board.authorize_url(ctx.key)
    if url is None:
        return NOT_SET_UP
    if await links.get(ctx.key) is not None:
        return Reply(title="Your Slack status already shows your running timer",
                     lines=(f"`{mention('status off')}` stops it.",))
    return Reply(
        title="Show your running timer in your Slack status",
        lines=("Slack asks you to let togglbot change your status, and nothing else. While "
               f"a timer runs it shows “{status.EMOJI} <description>”; stopping clears it.",
               f"`{mention('status off')}` undoes it; `{mention('current')}` shows the timer "
               "here."),
        buttons=(Button("Allow in Slack", "", "primary", url=url),),
    )


@handles(c.StatusOff)
async def status_off(cmd: c.StatusOff, ctx: Context) -> Reply:
    board, links = ctx.status_board, ctx.status_links
    if links is None:
        return ONLY_SLACK
    if not await status.unlink(board, links, ctx.key):
        return Reply(title="togglbot wasn't setting your status",
                     lines=(f"`{mention('status on')}` lets it.",))
    return Reply(title="Your status is yours again",
                 lines=("Cleared, and Slack's permission given back.",), tone=Tone.SUCCESS)


@home_setting
async def status_setting(ctx: Context) -> Setting | None:
    """The panel's line: on (with a button to turn it off), or offered, or nothing where the
    platform or this install can't do it."""
    board, links = ctx.status_board, ctx.status_links
    if board is None or links is None:
        return None
    if await links.get(ctx.key) is not None:
        return ("Slack status: shows your running timer.",
                Button("Stop showing it in my status", "status off"))
    url = board.authorize_url(ctx.key)
    if url is None:
        return None
    return ("Slack status: off. It can show your running timer.",
            Button("Show my timer in my status", "", url=url))
