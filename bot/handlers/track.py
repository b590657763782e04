"""A chat message made into an entry (Slack's shortcut, Discord's context menu).

The form's values go through the `start` declaration's validators, then run as `start`
(or as `add`, ending now, when a duration was chosen): the same handlers, the same one
Toggl request, no second path.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot import commands as c
from bot.context import Context
from bot.errors import UsageError
from bot.grammar.declare import declaration, handles
from bot.handlers.entries import add
from bot.handlers.timer import start
from bot.replies import Reply

# 30m, 45 min, 1h, 1h30, 1h 30m, 2 hours, 90 (minutes)
_DURATION = re.compile(
    r"(?:(?P<h>[0-9]{1,2}) ?h(?:ours?|rs?)?)? ?(?:(?P<m>[0-9]{1,4}) ?(?:m|mins?|minutes?)?)?",
    re.IGNORECASE,
)
LONGEST = timedelta(hours=24)


def duration_of(text: str) -> timedelta:
    """``1h30`` -> 90 minutes; UsageError for anything else, or nothing, or over a day."""
    found = _DURATION.fullmatch(text.strip())
    if not text.strip() or found is None or not (found["h"] or found["m"]):
        raise UsageError("Say how long as 30m, 1h or 1h30, or leave it empty to start now.")
    length = timedelta(hours=int(found["h"] or 0), minutes=int(found["m"] or 0))
    if not timedelta(0) < length <= LONGEST:
        raise UsageError("A duration is more than a minute and at most 24 hours.")
    return length


@handles(c.Track)
async def track(cmd: c.Track, ctx: Context) -> Reply:
    raw = {"description": cmd.description, "project": cmd.project or None, "tags": cmd.tags}
    started: c.Start = declaration("start").build(raw)
    # The form showed the channel's defaults; what the person left in it is what they want.
    ctx.channel_id = ""
    if not cmd.duration.strip():
        return await start(started, ctx)
    length = duration_of(cmd.duration)
    ctx.require_account()
    end = ctx.now.astimezone(ctx.tz).replace(second=0, microsecond=0)
    begin = end - length
    return await add(c.AddEntry(
        description=started.description or "(no description)",
        start=begin.timetz().replace(tzinfo=None), stop=end.timetz().replace(tzinfo=None),
        day=begin.date(), project=started.project, tags=started.tags,
    ), ctx)
