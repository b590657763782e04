"""Time as people say it: durations (`2h`, `1h30`, `90m`, `1:30`, `1.5h`) and moments
(`15m ago`, `at 9:30`, `since 9:30`). Nonsense is a usage error with examples, never a guess.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UsageError
from bot.grammar.clock import parse_clock

MAX_AGO = timedelta(days=7)
MAX_DURATION = timedelta(hours=24 * 7)
DURATION_EXAMPLES = "e.g. `2h`, `90m`, `1h30`, `1:30` or `1.5h`"
WHEN_EXAMPLES = "e.g. `15m ago` or `at 9:30`"

_UNITS = {"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
          "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60}
_DURATION = re.compile(
    r"(?:(?P<h>\d{1,3})h(?:(?P<hm>\d{1,2})m?)?"  # 2h, 1h30, 1h30m
    r"|(?P<m>\d{1,5})m"  # 90m
    r"|(?P<dh>\d{1,3}(?:[.,]\d{1,2})?)h"  # 1.5h
    r"|(?P<ch>\d{1,3}):(?P<cm>[0-5]\d))",  # 1:30
    re.IGNORECASE,
)
_SPACED = re.compile(r"(?P<n>\d{1,5}(?:[.,]\d{1,2})?) ?(?P<unit>[a-z]+)", re.IGNORECASE)
# A word that is a duration in `add Review 1h30`: `14:00` there is a clock, not 14 hours.
DURATION_SHAPE = re.compile(
    r"\d{1,3}h(?:\d{1,2}m?)?|\d{1,5}m|\d{1,3}(?:[.,]\d{1,2})?h|\d:[0-5]\d", re.IGNORECASE
)


def parse_duration(text: str) -> timedelta:
    """``2h``, ``90m``, ``1h30``, ``1h30m``, ``1:30``, ``1.5h``, ``15 min`` -> a duration."""
    cleaned = text.strip().lower()
    found = _DURATION.fullmatch(cleaned.replace(" ", ""))
    seconds: float | None = None
    if found is not None:
        if found["h"] is not None:
            seconds = int(found["h"]) * 3600 + int(found["hm"] or 0) * 60
            if int(found["hm"] or 0) >= 60:
                seconds = None
        elif found["m"] is not None:
            seconds = int(found["m"]) * 60
        elif found["dh"] is not None:
            seconds = float(found["dh"].replace(",", ".")) * 3600
        else:
            seconds = int(found["ch"]) * 3600 + int(found["cm"]) * 60
    elif (spaced := _SPACED.fullmatch(cleaned)) and spaced["unit"] in _UNITS:
        seconds = float(spaced["n"].replace(",", ".")) * _UNITS[spaced["unit"]]
    if seconds is None:
        raise UsageError(f"`{text[:20]}` is not a duration; say it as {DURATION_EXAMPLES}.")
    span = timedelta(seconds=round(seconds))
    if not timedelta(0) < span <= MAX_DURATION:
        raise UsageError(f"`{text[:20]}` is not a duration I can use: between a minute and a "
                         "week.")
    return span


@dataclass(frozen=True, slots=True)
class When:
    """A moment said relative to now (``ago``) or as a clock time today (``at``)."""

    ago: timedelta | None = None
    at: time | None = None

    def instant(self, now: datetime, tz: ZoneInfo, day: date | None = None) -> datetime:
        """The aware moment meant, in ``tz`` (a clock time on ``day``, default today)."""
        if self.ago is not None:
            return now - self.ago
        assert self.at is not None
        local_day = day or now.astimezone(tz).date()
        return datetime.combine(local_day, self.at, tzinfo=tz)

    def said(self) -> str:
        """As a person would type it: ``15m ago``, ``at 09:30``."""
        if self.at is not None:
            return f"at {self.at:%H:%M}"
        assert self.ago is not None
        minutes = int(self.ago.total_seconds() // 60)
        hours, minutes = divmod(minutes, 60)
        return (f"{hours}h{minutes:02d}" if hours and minutes else
                f"{hours}h" if hours else f"{minutes}m") + " ago"


def parse_when(text: str) -> When:
    """``15m ago``, ``1h30 ago``, ``at 9:30``, ``since 9:30`` or a bare ``9:30``."""
    words = text.strip().lower().split()
    if len(words) >= 2 and words[-1] == "ago":
        ago = parse_duration(" ".join(words[:-1]))
        if ago > MAX_AGO:
            raise UsageError("That's more than a week ago; use `add` for older time.")
        return When(ago=ago)
    if len(words) == 2 and words[0] in ("at", "since"):
        return When(at=parse_clock(words[1]))
    if len(words) == 1 and ":" in words[0]:
        return When(at=parse_clock(words[0]))
    raise UsageError(f"`{text[:30]}` is not a time I understand; say {WHEN_EXAMPLES}.")


def when_suggestions(typed: str, limit: int = 25) -> list[str]:
    """Phrases for autocomplete: what was typed, completed if it reads (`20m` -> `20m ago`,
    `at 9` -> `at 09:00`), then the common ones that match."""
    typed = " ".join(typed.lower().split())
    found: list[str] = []
    with contextlib.suppress(UsageError):
        found.append(parse_when(typed).said())
    with contextlib.suppress(UsageError):
        found.append(When(ago=parse_duration(typed)).said())
    hour = re.fullmatch(r"(?:at |since )?(\d{1,2})", typed)
    if hour and int(hour[1]) < 24:
        found += [f"at {int(hour[1]):02d}:00", f"at {int(hour[1]):02d}:30"]
    common = ["5m ago", "10m ago", "15m ago", "30m ago", "45m ago", "1h ago", "1h30 ago",
              "2h ago", *(f"at {h:02d}:{m:02d}" for h in range(7, 20) for m in (0, 30))]
    found += [p for p in common if typed in p or typed in p.replace(" 0", " ")]
    return [p for p in dict.fromkeys(found) if p][:limit]
