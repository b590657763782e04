"""Each platform's own words for a command: usage lines, examples and mentions.

The console takes ``start Review @Website``; Slack takes the same after ``/toggl``;
Discord takes ``/toggl start description:Review project:Website``. Everything a reply
says about what to type is rendered here, from the declarations, for the platform the
reply goes to (``localize``). Discord's command tree (``discord_path``) is defined here
too, so help and the registered commands can't disagree.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from bot.commands import DECLARATIONS, find
from bot.dialects.text import parse, read
from bot.errors import UsageError
from bot.grammar.declare import Declaration
from bot.grammar.params import Option, Param, Raw
from bot.mention import CLOSE, OPEN, USAGE
from bot.replies import Field, Reply

Dialect = Literal["console", "slack", "discord"]
SLASH = "/toggl"
# Discord allows 25 subcommands per level: these first words become subcommand groups,
# read as typed (`/toggl add client`, `/toggl digest at`); the bare `add` is `add entry`.
GROUPS = {
    "add": "Add a finished entry, a client, a project or a tag.",
    "client": "Rename, archive, restore or delete a client.",
    "digest": "This channel's daily digest of who tracked what.",
    "channel": "This channel's default project and tags.",
    "status": "Your running timer in your Slack status (current shows the timer).",
    "remind": "Your private reminders: a runaway timer, a forgotten one, a day recap.",
}
# `rename client` reads `/toggl client rename`: the verbs on one thing share its group.
_OBJECT_GROUPS = ("client",)
_MENTION = re.compile(f"{OPEN}(?P<body>[^{CLOSE}]*){CLOSE}")


def dialect_of(platform: str) -> Dialect:
    """The syntax a platform's people type; anything unknown reads like the console."""
    return platform if platform in ("slack", "discord") else "console"  # type: ignore[return-value]


def discord_path(decl: Declaration) -> str:
    """Where a command lives under `/toggl`: `add client`, `digest at`, `client rename`
    (groups), `tags`. Nothing else has two words: Discord's names can't hold spaces."""
    first, _, rest = decl.name.partition(" ")
    if first in GROUPS and first not in _OBJECT_GROUPS:
        return f"{first} {rest or 'entry'}"
    if rest in _OBJECT_GROUPS and first != "add":
        return f"{rest} {first}"
    return decl.name.replace(" ", "-")


def usage(decl: Declaration, dialect: Dialect) -> str:
    """The command's usage line as that platform takes it."""
    if dialect == "discord":
        parts = [f"{SLASH} {discord_path(decl)}"]
        parts += [f"{o.name}:…" if o.required else f"[{o.name}]" for o in discord_options(decl)]
        return " ".join(parts)
    line = " ".join([decl.name, *(u for p in decl.params if (u := p.usage().strip()))])
    return f"{SLASH} {line}" if dialect == "slack" else line


def _discord_order(params: tuple[Param, ...]) -> list[Param]:
    # Discord lists required options first, and refuses a command that doesn't.
    return sorted(params, key=lambda p: not any(o.required for o in p.options()))


def discord_options(decl: Declaration) -> list[Option]:
    """The command's Discord options, in the order Discord requires."""
    return [option for param in _discord_order(decl.params) for option in param.options()]


def example(text: str, dialect: Dialect) -> str:
    """A console example (``edit last @Website``) in the platform's own syntax."""
    if dialect == "console":
        return text
    if dialect == "slack":
        return f"{SLASH} {text}"
    named = find(text.lower())
    if named is not None:  # the command itself (`digest at`), not an example of it
        return f"{SLASH} {discord_path(named)}"
    decl, raw = _read_example(text)
    if decl is None:
        return f"{SLASH} {text}"
    parts = [f"{SLASH} {discord_path(decl)}"]
    for param in _discord_order(decl.params):
        parts += param.as_options(raw.get(param.name))
    return " ".join(parts)


def _read_example(text: str) -> tuple[Declaration | None, dict[str, Raw]]:
    """The declaration and raw values of an example; (None, {}) if it isn't one."""
    try:
        command = parse(text)
    except UsageError:
        return None, {}
    words = text.split(" ")
    for size in (2, 1):
        decl = find(" ".join(words[:size]).lower())
        if decl is not None and decl.command is type(command):
            return decl, read(decl, " ".join(words[size:]))
    # `add client call 09:00-10:00` and the like: the text names another command.
    decl = next(d for d in DECLARATIONS if d.command is type(command))
    return decl, read(decl, text.split(" ", 1)[1] if " " in text else "")


def render_mentions(text: str, dialect: Dialect) -> str:
    """Each mention in ``text`` (``bot.mention``), in the platform's syntax."""
    if OPEN not in text:
        return text

    def one(found: re.Match[str]) -> str:
        body = found["body"]
        if body.startswith(USAGE):
            decl = find(body[len(USAGE):])
            return usage(decl, dialect) if decl is not None else body[len(USAGE):]
        return example(body, dialect)

    return _MENTION.sub(one, text)


def localize(reply: Reply, dialect: Dialect) -> Reply:
    """The reply with every mention and its usage line in the platform's syntax."""
    def say(text: str) -> str:
        return render_mentions(text, dialect)

    return replace(
        reply,
        title=say(reply.title),
        lines=tuple(say(line) for line in reply.lines),
        fields=tuple(Field(say(f.label), say(f.value)) for f in reply.fields),
        footer=say(reply.footer),
        usage=say(reply.usage),
    )
