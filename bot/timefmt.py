"""Durations and dates the way people read them, in the user's own time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.commands import Period

UTC = ZoneInfo("UTC")


def zone(name: str) -> ZoneInfo:
    """The user's zone; an unknown name (Toggl has a few legacy ones) falls back to UTC."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def duration(span: timedelta) -> str:
    """``1h 05m``, ``25m``; under a minute reads ``<1m``."""
    minutes = int(span.total_seconds() // 60)
    if minutes <= 0:
        return "<1m" if span.total_seconds() > 0 else "0m"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def clock_time(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M")


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def period_bounds(period: Period, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime, str]:
    """[start, end) of a period as aware datetimes, and a title such as ``This week``."""
    today = now.astimezone(tz).date()
    match period.name:
        case "today":
            first, last, title = today, today, f"Today · {day_label(today)}"
        case "yesterday":
            day = today - timedelta(days=1)
            first, last, title = day, day, f"Yesterday · {day_label(day)}"
        case "week" | "last week":
            monday = today - timedelta(days=today.weekday())
            if period.name == "last week":
                monday -= timedelta(days=7)
            first, last = monday, monday + timedelta(days=6)
            label = "This week" if period.name == "week" else "Last week"
            title = f"{label} · {day_label(first)} – {day_label(last)}"
        case "month":
            first, last = today.replace(day=1), today
            title = f"{today:%B %Y}"
        case _:
            assert period.first is not None and period.last is not None
            first, last = period.first, period.last
            title = day_label(first) if first == last else f"{day_label(first)} – {day_label(last)}"
    return _midnight(first, tz), _midnight(last + timedelta(days=1), tz), title


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)
