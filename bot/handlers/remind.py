"""remind …: opt-in private reminders and a day recap. No Toggl calls: settings only."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from bot import commands as c
from bot.context import Context
from bot.errors import UsageError
from bot.grammar.declare import handles
from bot.grammar.params import DAY_NAMES
from bot.mention import mention
from bot.remind import plan
from bot.remind.model import Hours, Kind, Settings
from bot.replies import Reply, Tone
from bot.timefmt import clock_time, duration

TURN_ON = ("Turn one on: `{}` (a timer that runs away), `{}` (no timer in working hours) "
           "or `{}` (your day at a glance).")


def _turn_on() -> str:
    return TURN_ON.format(mention("remind running 3h"), mention("remind idle 30m"),
                          mention("remind recap 17:45"))


def days_text(days: frozenset[int]) -> str:
    """`mon-fri`, `mon,wed,fri`, `every day`."""
    if len(days) == 7:
        return "every day"
    ordered = sorted(days)
    if ordered and ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ",".join(DAY_NAMES[d] for d in ordered) or "no days"


def _hours_line(hours: Hours) -> str:
    return f"Working hours: {hours.start:%H:%M}–{hours.stop:%H:%M}, {days_text(hours.days)}"


async def _settings(ctx: Context) -> Settings:
    ctx.require_account()  # the person's Toggl time zone and token are needed
    return await ctx.reminder_store().get(ctx.key) or Settings()


async def _save(ctx: Context, settings: Settings, title: str) -> Reply:
    await ctx.reminder_store().save(ctx.key, settings, ctx.now)
    return await _describe(ctx, settings, title)


async def _describe(ctx: Context, settings: Settings, title: str) -> Reply:
    tz = ctx.tz
    lines = [_hours_line(settings.hours) + f" ({tz.key})"]
    if settings.running is not None:
        lines.append(f"Runaway timer: after {duration(settings.running)} running "
                     "(once a day).")
    if settings.idle is not None:
        lines.append(f"No timer: after {duration(settings.idle)} without one in working "
                     "hours (once a day).")
    if settings.recap is not None:
        lines.append(f"Day recap: at {settings.recap:%H:%M} on working days.")
    if not settings.any_on():
        lines.append(_turn_on())
    if settings.snoozed_until is not None and settings.snoozed_until > ctx.now:
        lines.append(f"Snoozed until {clock_time(settings.snoozed_until, tz)}.")
    if settings.any_on():
        lines.append(f"Private messages only, never outside working hours (the recap comes "
                     f"at its time). At most {plan.MAX_CHECKS} Toggl requests a day, never "
                     "your last 5 of the hour.")
        lines.append(f"`{mention('remind snooze 1h')}` pauses them; "
                     f"`{mention('remind off')}` deletes these settings.")
    return Reply(title=title, lines=tuple(lines), tone=Tone.SUCCESS if title else Tone.INFO)


@handles(c.RemindShow)
async def show(cmd: c.RemindShow, ctx: Context) -> Reply:
    ctx.require_account()
    settings = await ctx.reminder_store().get(ctx.key)
    if settings is None:
        return Reply(title="Reminders are off", lines=(
            "Nothing is sent unless you ask.", _turn_on(),
            f"Set your working hours first if they aren't 09:00–17:00 mon-fri: "
            f"`{mention('remind hours 09:00-17:30 mon-fri')}`."))
    return await _describe(ctx, settings, "Your reminders")


@handles(c.RemindHours)
async def hours(cmd: c.RemindHours, ctx: Context) -> Reply:
    if cmd.stop <= cmd.start:
        raise UsageError("Your working day has to end after it starts, e.g. "
                         "`09:00-17:30`.", "remind hours")
    if not cmd.days:
        raise UsageError("Give at least one working day.", "remind hours")
    settings = await _settings(ctx)
    return await _save(ctx, replace(settings, hours=Hours(cmd.start, cmd.stop, cmd.days)),
                       "Working hours saved")


@handles(c.RemindRunning)
async def running(cmd: c.RemindRunning, ctx: Context) -> Reply:
    settings = replace(await _settings(ctx), running=cmd.after)
    return await _save(ctx, settings, "Runaway-timer reminder " + _on_off(cmd.after))


@handles(c.RemindIdle)
async def idle(cmd: c.RemindIdle, ctx: Context) -> Reply:
    settings = replace(await _settings(ctx), idle=cmd.after)
    return await _save(ctx, settings, "No-timer reminder " + _on_off(cmd.after))


@handles(c.RemindRecap)
async def recap(cmd: c.RemindRecap, ctx: Context) -> Reply:
    settings = replace(await _settings(ctx), recap=cmd.at)
    return await _save(ctx, settings, "Day recap " + _on_off(cmd.at))


def _on_off(value: timedelta | time | None) -> str:
    return "off" if value is None else "on"


@handles(c.RemindSnooze)
async def snooze(cmd: c.RemindSnooze, ctx: Context) -> Reply:
    store = ctx.reminder_store()
    ctx.require_account()
    settings = await store.get(ctx.key)
    if settings is None:
        return Reply(title="You have no reminders to snooze.", lines=(_turn_on(),))
    until: datetime = plan.snooze_until(settings, ctx.now, ctx.tz, cmd.length)
    await store.save(ctx.key, replace(settings, snoozed_until=until), ctx.now)
    when = "for the rest of today" if cmd.today else f"until {clock_time(until, ctx.tz)}"
    return Reply(title=f"Reminders snoozed {when}", tone=Tone.SUCCESS)


@handles(c.RemindOff)
async def off(cmd: c.RemindOff, ctx: Context) -> Reply:
    if not await ctx.reminder_store().delete(ctx.key):
        return Reply(title="You had no reminders on.")
    return Reply(title="Reminders off", lines=("Your reminder settings are deleted.",),
                 tone=Tone.SUCCESS)


@handles(c.RemindOk)
async def answered(cmd: c.RemindOk, ctx: Context) -> Reply:
    ctx.require_account()
    kind: Kind = cmd.kind  # type: ignore[assignment]
    day = plan.today(ctx.now, ctx.tz)
    if not await ctx.reminder_store().answer(ctx.key, kind, day, ctx.now):
        return Reply(title="You have no reminders on.", lines=(_turn_on(),))
    return Reply(title="Got it: no more of that reminder today.", tone=Tone.SUCCESS)
