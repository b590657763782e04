"""digest at / join / leave / show / off: a channel's daily summary. No Toggl calls."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.context import Context
from bot.digest.model import Digest, Member, Schedule
from bot.digest.ports import Refusal
from bot.digest.schedule import next_due
from bot.errors import UsageError
from bot.grammar.clock import zone_name
from bot.grammar.declare import handles
from bot.mention import mention, usage
from bot.replies import Reply, Tone
from bot.timefmt import clock_time, day_label

SET_UP = f"Set one up with `{usage('digest at')}`."


@handles(c.DigestAt)
async def subscribe(cmd: c.DigestAt, ctx: Context) -> Reply:
    """Set the channel up only once the platform lets the bot post there."""
    channel = ctx.channel()
    schedule = Schedule(cmd.at, cmd.timezone or _their_zone(ctx), cmd.weekdays_only)
    store = ctx.digest_store()
    before = await store.find(channel)  # its members are kept
    notice = Reply(
        title=f"Daily digest: {schedule.describe()}",
        lines=(_next_line(schedule, ctx), _members_line(before.members if before else ())),
        tone=Tone.SUCCESS,
        public=True,  # the whole channel should know it now gets a daily post
    )
    announced = await ctx.announce(notice)
    if announced.refusal is not None:
        return _cannot_post(announced.refusal)
    await store.subscribe(channel, schedule, set_up_by=ctx.key.user_id)
    if not announced.posted:
        return replace(notice, lines=notice.lines + announced.notes)
    if announced.notes:  # the channel saw the notice; the caveats are for this person
        return Reply(title="Daily digest set up", lines=announced.notes, tone=Tone.WARNING)
    return replace(notice, posted=True)


def _cannot_post(refusal: Refusal) -> Reply:
    lines = [refusal.fix] if refusal.fix else []
    lines.append(f"Then run `{mention('digest at')}` here again; nothing was set up or changed.")
    return Reply(
        title=f"I can't post in this channel (`{refusal.reason}`)",
        lines=tuple(lines),
        tone=Tone.WARNING,
    )


def _their_zone(ctx: Context) -> str:
    if ctx.account is None:
        raise UsageError(
            f"Add a time zone (e.g. `Europe/Berlin`), or `{mention('login')}` first so I can "
            "use yours.",
            "digest at",
        )
    try:
        return zone_name(ctx.account.timezone)
    except UsageError as exc:
        raise UsageError(exc.message, "digest at") from None


@handles(c.DigestJoin)
async def join(cmd: c.DigestJoin, ctx: Context) -> Reply:
    account = ctx.require_account()  # a member is read with their own token
    digest = await _enabled(ctx)
    if digest is None:
        return Reply(title="This channel has no digest yet.", lines=(SET_UP,))
    if not await ctx.digest_store().join(digest.id, ctx.key):
        return Reply(title="You're already in this channel's digest.")
    lines = [f"Your day's totals will be posted here at {digest.schedule.describe()}."]
    if not account.token_valid:
        lines.append(f"Toggl rejected your saved token: run `{mention('login')}` again, or "
                     "you'll be listed as needing to log in.")
    return Reply(title="You joined this channel's digest", lines=tuple(lines), tone=Tone.SUCCESS)


@handles(c.DigestLeave)
async def leave(cmd: c.DigestLeave, ctx: Context) -> Reply:
    digest = await ctx.digest_store().find(ctx.channel())
    if digest is None or not await ctx.digest_store().leave(digest.id, ctx.key):
        return Reply(title="You weren't in this channel's digest.")
    return Reply(title="You left this channel's digest", tone=Tone.SUCCESS)


@handles(c.DigestShow)
async def show(cmd: c.DigestShow, ctx: Context) -> Reply:
    digest = await ctx.digest_store().find(ctx.channel())
    if digest is None:
        return Reply(title="This channel has no digest.", lines=(SET_UP,))
    if not digest.enabled:
        return Reply(
            title=f"This channel's digest is off (was {digest.schedule.describe()}).",
            lines=(f"Turn it on again with `{usage('digest at')}`.", _members_line(digest.members)),
        )
    return Reply(
        title=f"Daily digest: {digest.schedule.describe()}",
        lines=(_next_line(digest.schedule, ctx), _members_line(digest.members)),
    )


@handles(c.DigestOff)
async def off(cmd: c.DigestOff, ctx: Context) -> Reply:
    if not await ctx.digest_store().disable(ctx.channel()):
        return Reply(title="This channel has no digest running.")
    return Reply(
        title="Daily digest stopped",
        lines=(f"Members are kept: `{usage('digest at')}` turns it on again.",),
        tone=Tone.SUCCESS,
        public=True,
    )


async def _enabled(ctx: Context) -> Digest | None:
    digest = await ctx.digest_store().find(ctx.channel())
    return digest if digest is not None and digest.enabled else None


def _next_line(schedule: Schedule, ctx: Context) -> str:
    due = next_due(schedule, ctx.now)
    tz = ZoneInfo(schedule.timezone)
    return f"Next: {day_label(due.astimezone(tz).date())} at {clock_time(due, tz)}."


def _members_line(members: tuple[Member, ...]) -> str:
    if not members:
        return f"Nobody is included until they use `{mention('digest join')}`."
    names = ", ".join(m.label for m in members)
    return f"Members ({len(members)}): {names}"
