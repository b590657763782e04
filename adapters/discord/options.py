"""Discord options -> typed core commands, validated exactly as the text grammar validates.

Kept apart from ``commands`` (which only declares the subcommands) so each stays small.
"""

from __future__ import annotations

from functools import cache
from typing import Literal
from zoneinfo import available_timezones

from discord.app_commands import Choice
from pydantic import SecretStr

from bot import commands as c
from bot.digest.schedule import parse_clock, zone_name
from bot.errors import UsageError
from bot.grammar import clean, find, spec
from bot.periods import date_range

NamedPeriod = Literal["today", "yesterday", "week", "last week", "month"]
DigestDays = Literal["weekdays", "daily"]
ZONE_CHOICES_MAX = 25  # Discord's limit for autocomplete answers
# In the tz database but not places: suggesting them would only confuse.
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})


def split_tags(text: str | None) -> tuple[str, ...]:
    """``"meeting, #billing"`` -> ``("meeting", "billing")``: commas separate, # is optional."""
    tags = (t.strip().lstrip("#").strip() for t in clean(text or "").split(","))
    return tuple(dict.fromkeys(t for t in tags if t))


def period_option(
    period: NamedPeriod | None, first: str | None, last: str | None, usage: str
) -> c.Period:
    """The `period` / `from` / `to` options of summary, entries and tag; default today."""
    if first is None and last is None:
        return c.Period(period or "today")
    if period is not None:
        raise UsageError("Choose a period or dates, not both.", usage)
    if first is None:
        raise UsageError("Give the first day in `from` (YYYY-MM-DD).", usage)
    return date_range(first.strip(), last.strip() if last else None)


def summary_command(period: NamedPeriod | None, first: str | None, last: str | None) -> c.Summary:
    return c.Summary(period_option(period, first, last, spec("summary").usage))


def named(text: str, command: str, what: str = "client") -> str:
    """A name option, cleaned; an empty one (only spaces) is a usage error of ``command``."""
    cleaned = clean(text)
    if not cleaned:
        raise UsageError(f"Give the {what} a name.", spec(command).usage)
    return cleaned


def add_client_command(name: str) -> c.AddClient:
    return c.AddClient(named(name, "add client"))


def login_command(token: str | None) -> c.Login:
    # An empty option opens the private form instead.
    return c.Login(SecretStr(token.strip()) if token and token.strip() else None)


def digest_at_command(at: str, timezone: str | None, days: DigestDays | None) -> c.DigestAt:
    """``18:00`` + ``europe/berlin`` + ``weekdays`` -> DigestAt; no zone means their Toggl zone."""
    usage = spec("digest at").usage
    zone = clean(timezone or "")
    return c.DigestAt(
        parse_clock(clean(at), usage),
        zone_name(zone, usage) if zone else None,
        weekdays_only=days == "weekdays",
    )


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones() - _NOT_PLACES))


def timezone_choices(typed: str) -> list[Choice[str]]:
    """At most 25 IANA zones matching what was typed, best first.

    Whole-name prefixes (``europe/b``) come first, then a city's or area's prefix (``berl``),
    then any substring; spaces count as underscores (``new york``).
    """
    needle = "_".join(clean(typed).casefold().split())
    ranked: list[tuple[int, str]] = []
    for name in _zone_names():
        folded = name.casefold()
        if folded.startswith(needle):
            ranked.append((0, name))
        elif any(part.startswith(needle) for part in folded.split("/")):
            ranked.append((1, name))
        elif needle in folded:
            ranked.append((2, name))
    ranked.sort()
    return [Choice(name=name, value=name) for _, name in ranked[:ZONE_CHOICES_MAX]]


def help_command(topic: str | None) -> c.Help:
    """`/toggl help [command]`: the topic is free text (autocompleted), checked like `help x`."""
    wanted = " ".join((topic or "").lower().split())
    if wanted and find(wanted) is None:
        raise UsageError(f"There's no command `{wanted[:40]}`.", spec("help").usage)
    return c.Help(wanted)
