"""Clock times and time zones as people type them: ``9:30``, ``europe/berlin``."""

from __future__ import annotations

import difflib
import re
from datetime import time
from functools import cache
from zoneinfo import available_timezones

from bot.errors import UsageError

_CLOCK = re.compile(r"(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)")
# In the tz database but not places: suggesting them would only confuse.
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})


def parse_clock(text: str) -> time:
    """``18:00`` or ``9:30`` -> a time; anything else is a UsageError."""
    found = _CLOCK.fullmatch(text.strip())
    if found is None:
        raise UsageError(f"`{text[:20]}` is not a time; use 24-hour HH:MM, e.g. `18:00`.")
    return time(int(found["h"]), int(found["m"]))


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones() - _NOT_PLACES}


def zone_name(text: str) -> str:
    """The canonical IANA name for ``text`` (any case), or a UsageError with a suggestion."""
    known = _zones().get(text.strip().casefold())
    if known is not None:
        return known
    close = difflib.get_close_matches(text.casefold(), list(_zones()), n=1, cutoff=0.75)
    hint = f" Did you mean `{_zones()[close[0]]}`?" if close else ""
    raise UsageError(
        f"`{text[:64]}` is not a time zone I know.{hint} "
        "Use an IANA name such as `Europe/Berlin` or `America/New_York`."
    )


@cache
def _sorted_zones() -> tuple[str, ...]:
    return tuple(sorted(_zones().values()))


def zone_suggestions(typed: str, limit: int = 25) -> list[str]:
    """IANA zones matching what was typed, best first, for autocomplete.

    Whole-name prefixes (``europe/b``) come first, then a city's or area's prefix (``berl``),
    then any substring; spaces count as underscores (``new york``).
    """
    needle = "_".join(typed.casefold().split())
    ranked: list[tuple[int, str]] = []
    for name in _sorted_zones():
        folded = name.casefold()
        if folded.startswith(needle):
            ranked.append((0, name))
        elif any(part.startswith(needle) for part in folded.split("/")):
            ranked.append((1, name))
        elif needle in folded:
            ranked.append((2, name))
    ranked.sort()
    return [name for _, name in ranked[:limit]]
