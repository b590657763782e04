"""The private messages reminders send, with buttons that carry text commands.

Each button's command is short and self-contained (Discord keeps it in a 100-character
custom_id for as long as the message lives), and dated where a day matters, so a click the
next morning still does what the message said.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import summary
from bot.domain import Catalog, ListedEntry, TimeEntry
from bot.mention import mention
from bot.present import title_of
from bot.remind.model import Settings
from bot.remind.plan import window
from bot.replies import Button, Field, Reply, Tone
from bot.timefmt import clock_time, day_label, duration

MIN_GAP = timedelta(minutes=15)  # shorter gaps are breaks, not missing time
MAX_GAP_BUTTONS = 3
MAX_LABEL = 40


def _clip(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def running(entry: TimeEntry, settings: Settings, now: datetime, tz: ZoneInfo) -> Reply:
    """A timer has run longer than the person's limit."""
    buttons = [Button("Stop now", "stop", "danger")]
    span = window(settings, now.astimezone(tz).date(), tz)
    if span is not None and span[1] > now:
        end = clock_time(span[1], tz)
        buttons.append(Button(f"Stop at {end}", f"edit last stop {end}"))
    buttons += [Button("Keep going", "remind ok running", "primary"),
                Button("Snooze today", "remind snooze today")]
    return Reply(
        title=f"Your timer has been running for {duration(entry.duration(now))}",
        lines=(f"*{title_of(entry)}*, since {clock_time(entry.start, tz)}.",
               "Still on it? Stop it now, at the end of your day, or keep going."),
        buttons=tuple(buttons), tone=Tone.WARNING,
    )


def idle(last: TimeEntry | None, since: datetime, now: datetime, tz: ZoneInfo) -> Reply:
    """No timer for a while inside working hours."""
    buttons = []
    if last is not None:
        buttons.append(Button(_clip(f"Continue: {title_of(last)}"), "continue", "primary"))
    buttons += [Button("Start…", "start"), Button("Snooze 1h", "remind snooze 1h")]
    return Reply(
        title=f"No timer running for {duration(now - since)}",
        lines=(f"Forgot to start one? Type `{mention('start Weekly sync @Website')}` to "
               "name it, or pick below.",),
        buttons=tuple(buttons),
    )


def gaps(entries: list[TimeEntry], start: datetime, end: datetime,
         now: datetime) -> list[tuple[datetime, datetime]]:
    """Untracked stretches of at least MIN_GAP between ``start`` and ``end``."""
    found: list[tuple[datetime, datetime]] = []
    cursor = start
    for entry in sorted(entries, key=lambda e: e.start):
        if entry.start - cursor >= MIN_GAP and entry.start <= end:
            found.append((cursor, min(entry.start, end)))
        cursor = max(cursor, entry.stop or now)
    if end - cursor >= MIN_GAP:
        found.append((cursor, end))
    return found


def recap(listed: list[ListedEntry], settings: Settings, day: date, now: datetime,
          tz: ZoneInfo, catalog: Catalog | None = None) -> Reply:
    """The day's totals by project and the gaps inside working hours."""
    day_start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    day_end = day_start + timedelta(days=1)
    totals = summary.totals(listed, day_start, day_end, now, catalog)
    lines = [f"Total {duration(totals.total)}" if totals.entries else "Nothing tracked today."]
    span = window(settings, day, tz)
    holes = gaps([row.entry for row in listed], span[0], min(span[1], now), now) \
        if span is not None else []
    if holes:
        shown = ", ".join(f"{clock_time(a, tz)}–{clock_time(b, tz)}" for a, b in holes[:6])
        lines.append(f"Not tracked in your working hours: {shown}.")
    buttons = tuple(
        Button(f"Add {clock_time(a, tz)}–{clock_time(b, tz)}",
               f"add Missing time {clock_time(a, tz)}-{clock_time(b, tz)} {day.isoformat()}")
        for a, b in holes[:MAX_GAP_BUTTONS]
    )
    fields = tuple(Field(line.label, duration(line.total)) for line in totals.projects[:10])
    return Reply(title=f"Your day · {day_label(day)}", lines=tuple(lines), fields=fields,
                 buttons=buttons)


def relogin() -> Reply:
    """Told once when Toggl rejects the token; reminders wait for the next login."""
    return Reply(
        title="Toggl rejected your saved token, so your reminders are paused",
        lines=(f"Run `{mention('login')}` to connect again; they start again by themselves.",),
        buttons=(Button("Connect Toggl", "login", "primary"),), tone=Tone.WARNING,
    )
