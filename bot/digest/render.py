"""A digest as a platform-neutral Reply (one section per member, a team total, a chart),
and the private notes to whoever set a digest up when the platform refuses it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.digest.ports import Refusal
from bot.mention import mention
from bot.replies import Field, Reply, Tone
from bot.timefmt import clock_time, day_label, duration

if TYPE_CHECKING:
    from bot.digest.chart import Bars
    from bot.digest.model import MemberDay

TOP_PROJECTS = 3
NOBODY_JOINED = f"No one has joined this digest yet: `{mention('digest join')}` includes you."
NOTHING_TRACKED = "Nobody tracked any time today."


def digest_reply(local_date: date, days: Sequence[MemberDay], tz: ZoneInfo) -> Reply:
    title = f"Daily digest · {day_label(local_date)}"
    if not days:
        return Reply(title=title, lines=(NOBODY_JOINED,), public=True)
    tracked = sorted(
        (d for d in days if d.outcome == "tracked" and d.totals is not None),
        key=lambda d: (-_seconds(d), d.member.label.casefold()),
    )
    fields = [Field(_heading(d), _projects(d)) for d in tracked]
    fields += [Field(d.member.label, _problem(d, tz)) for d in days if d.outcome not in _QUIET]
    lines: list[str] = []
    if tracked:
        team = sum((d.totals.total for d in tracked if d.totals), start=timedelta(0))
        lines.append(
            f"Team total {duration(team)} · {len(tracked)} of {len(days)} "
            f"member{'s' if len(days) != 1 else ''} tracked time"
        )
    elif not fields:
        lines.append(NOTHING_TRACKED)
    idle = [d.member.label for d in days if d.outcome == "empty"]
    if idle and (tracked or fields):
        lines.append("Nothing tracked: " + ", ".join(idle))
    return Reply(title=title, lines=tuple(lines), fields=tuple(fields), public=True)


def chart_bars(days: Sequence[MemberDay]) -> Bars:
    """(name, hours) per member who tracked time, largest first; empty: no chart."""
    tracked = [d for d in days if d.outcome == "tracked" and d.totals is not None]
    tracked.sort(key=lambda d: (-_seconds(d), d.member.label.casefold()))
    return tuple((d.member.label, round(_seconds(d) / 3600, 2)) for d in tracked)


_QUIET = frozenset({"tracked", "empty"})


def _seconds(day: MemberDay) -> float:
    return day.totals.total.total_seconds() if day.totals else 0.0


def _heading(day: MemberDay) -> str:
    assert day.totals is not None
    running = " ⏱" if day.totals.running is not None else ""
    return f"{day.member.label} · {duration(day.totals.total)}{running}"


def _projects(day: MemberDay) -> str:
    assert day.totals is not None
    rows = [
        f"{line.label} {duration(line.total)}" + (" (running)" if line.running else "")
        for line in day.totals.projects[:TOP_PROJECTS]
    ]
    more = len(day.totals.projects) - TOP_PROJECTS
    if more > 0:
        rows.append(f"…and {more} more")
    clients = [c for c in day.totals.clients if c.label != "(no client)"]
    if clients:
        shown = ", ".join(f"{c.label} {duration(c.total)}" for c in clients[:TOP_PROJECTS])
        rows.append(f"Clients: {shown}")
    return "\n".join(rows)


def _problem(day: MemberDay, tz: ZoneInfo) -> str:
    if day.outcome == "relogin":
        return f"needs to connect again (`{mention('login')}`): Toggl rejected the saved token"
    if day.outcome == "quota":
        when = (
            f"; it resets at {clock_time(day.resets_at, tz)}"
            if day.resets_at is not None
            else ""
        )
        return f"skipped to save their last Toggl requests this hour{when}"
    return "skipped: Toggl didn't answer in time"


def refusal_notice(refusal: Refusal) -> Reply:
    """The private message to whoever set the digest up."""
    lines = [f"The platform refused to post it (`{refusal.reason}`)."]
    if refusal.fix:
        lines.append(refusal.fix)
    lines.append("I turned the digest off so it doesn't fail every day; members are kept. "
                 f"Once that's fixed, run `{mention('digest at')}` in the channel again.")
    return Reply(title="Today's channel digest could not be posted", lines=tuple(lines),
                 tone=Tone.WARNING)


def gave_up_notice(refusal: Refusal, attempts: int) -> Reply:
    return Reply(
        title="Today's channel digest could not be posted",
        lines=(f"The platform refused it {attempts} times (`{refusal.reason}`), so I gave up "
               "for today. It will be tried again at the next scheduled time.",),
        tone=Tone.WARNING,
    )
