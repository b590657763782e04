"""Commands named inside reply text, so each platform can show them in its own syntax.

The core writes ``mention("digest join")`` where a reply tells people what to type; before
a reply leaves the core, ``bot.dialects.syntax.localize`` turns each mention into the form the
platform accepts: ``digest join`` in the console, ``/toggl digest join`` in Slack,
``/toggl digest join`` on Discord, and options (``/toggl edit entry:last project:Website``)
where the example has arguments. The markers are control characters, which ``clean``
strips from everything people type, so typed text can't forge a mention.
"""

from __future__ import annotations

OPEN = "\x1e"
CLOSE = "\x1f"
USAGE = "\x1d"  # right after OPEN: the command's usage line rather than an example


def mention(text: str) -> str:
    """A command as typed in the console (``edit last @Website``), shown per platform."""
    return f"{OPEN}{text}{CLOSE}"


def usage(name: str) -> str:
    """The usage line of the command ``name`` (``digest at``), shown per platform."""
    return f"{OPEN}{USAGE}{name}{CLOSE}"
