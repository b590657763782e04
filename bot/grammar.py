"""The grammar people type, as one table.

The table is the single source of truth for parsing, ``help``, usage lines in errors, the
Slack usage hint, Discord option descriptions and the Toggl call budget asserted in tests.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import SecretStr

from bot import commands as c
from bot.digest.schedule import parse_clock, zone_name
from bot.errors import UsageError

MAX_TEXT = 4000
MAX_DESCRIPTION = 3000
MAX_CLIENT_NAME = 100
MAX_RANGE_DAYS = 366

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_TOKEN = re.compile(r'(?P<prefix>[@#]?)"(?P<quoted>[^"]*)"|(?P<word>\S+)')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_\-]{6,128}")


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command of the grammar."""

    name: str
    usage: str
    summary: str
    parse: Callable[[str], c.Command]
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    calls: int = 0  # Toggl requests on the common path
    worst_calls: int = 0  # ... and at most, e.g. on a cache miss

    def words(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    quoted: bool = False


def tokenize(text: str) -> list[Token]:
    """Split on spaces, keeping "double quoted" runs (also after @ or #) as one token."""
    tokens = []
    for m in _TOKEN.finditer(text.translate(_QUOTES)):
        if m.group("word") is not None:
            tokens.append(Token(m.group("word")))
        else:
            tokens.append(Token(m.group("prefix") + m.group("quoted"), quoted=not m["prefix"]))
    return tokens


def _no_args(command: c.Command, name: str) -> Callable[[str], c.Command]:
    def parse(rest: str) -> c.Command:
        if rest:
            raise UsageError(f"`{name}` takes no arguments.", spec(name).usage)
        return command

    return parse


def _parse_login(rest: str) -> c.Command:
    if not rest:
        return c.Login(None)
    if not _TOKEN_SHAPE.fullmatch(rest):
        # Never echo what was typed: it may be a real token with a typo.
        raise UsageError("That doesn't look like a Toggl API token.", spec("login").usage)
    return c.Login(SecretStr(rest))


def _parse_start(rest: str) -> c.Command:
    description: list[str] = []
    project: list[str] | None = None
    tags: list[str] = []
    billable = False
    in_project = False
    for token in tokenize(rest):
        text = token.text
        if token.quoted:
            (project if in_project and project is not None else description).append(text)
        elif text.lower() in ("$", "$billable"):
            billable, in_project = True, False
        elif text.startswith("@"):
            if project is not None:
                raise UsageError("Only one @project per entry.", spec("start").usage)
            project, in_project = [text[1:]] if text[1:] else [], True
        elif text.startswith("#"):
            if not text[1:]:
                raise UsageError("A # needs a tag name after it.", spec("start").usage)
            tags.append(text[1:])
            in_project = False
        elif in_project and project is not None:
            project.append(text)
        else:
            description.append(text)
    if project is not None and not project:
        raise UsageError("An @ needs a project name after it.", spec("start").usage)
    text = " ".join(description)
    if len(text) > MAX_DESCRIPTION:
        raise UsageError(f"Descriptions can be at most {MAX_DESCRIPTION} characters.")
    return c.Start(
        description=text,
        project=" ".join(project) if project else None,
        tags=tuple(dict.fromkeys(tags)),
        billable=billable,
    )


def _parse_add_client(rest: str) -> c.Command:
    name = " ".join(t.text for t in tokenize(rest))
    if not name:
        raise UsageError("Give the client a name.", spec("add client").usage)
    if len(name) > MAX_CLIENT_NAME:
        raise UsageError(f"Client names can be at most {MAX_CLIENT_NAME} characters.")
    return c.AddClient(name)


def _status(word: str) -> c.Status | None:
    return {"active": "active", "archived": "archived", "both": "both", "all": "both"}.get(
        word.lower()
    )  # type: ignore[return-value]


def _parse_clients(rest: str) -> c.Command:
    words = rest.split()
    status = _status(words[0]) if words else None
    if status is not None:
        words = words[1:]
    return c.ListClients(status or "active", " ".join(words))


def _parse_projects(rest: str) -> c.Command:
    status = _status(rest) if rest else "active"
    if status is None:
        raise UsageError(f"I don't know the filter `{rest[:40]}`.", spec("projects").usage)
    return c.ListProjects(status)


_NAMED_PERIODS: dict[str, c.PeriodName] = {
    "today": "today",
    "yesterday": "yesterday",
    "week": "week",
    "this week": "week",
    "last week": "last week",
    "lastweek": "last week",
    "month": "month",
    "this month": "month",
}


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"`{text[:40]}` is not a date I can read; use YYYY-MM-DD.", spec("summary").usage
        ) from None


def _parse_summary(rest: str) -> c.Command:
    key = " ".join(rest.lower().split())
    if not key:
        return c.Summary(c.Period("today"))
    if key in _NAMED_PERIODS:
        return c.Summary(c.Period(_NAMED_PERIODS[key]))
    first_text, sep, last_text = key.replace(" ", "").partition("..")
    return c.Summary(date_range(first_text, last_text if sep else None))


def date_range(first_text: str, last_text: str | None = None) -> c.Period:
    """A validated `range` period from YYYY-MM-DD texts; the last day defaults to the first.

    Public so adapters with typed date options (Discord) validate exactly as the parser does.
    """
    first = _parse_date(first_text)
    last = _parse_date(last_text) if last_text is not None else first
    if last < first:
        raise UsageError("The range ends before it starts.", spec("summary").usage)
    if last - first >= timedelta(days=MAX_RANGE_DAYS):
        raise UsageError(f"Ranges can be at most {MAX_RANGE_DAYS} days long.")
    return c.Period("range", first, last)


_DAYS = {"weekdays": True, "weekday": True, "daily": False, "everyday": False}


def _parse_digest_at(rest: str) -> c.Command:
    usage = spec("digest at").usage
    words = rest.split()
    if not words:
        raise UsageError("Say when, e.g. `digest at 18:00 Europe/Berlin`.", usage)
    at = parse_clock(words[0], usage)
    timezone: str | None = None
    weekdays_only = False
    for word in words[1:]:
        if word.lower() in _DAYS:
            weekdays_only = _DAYS[word.lower()]
        elif timezone is None:
            timezone = zone_name(word, usage)
        else:
            raise UsageError("Give one time zone at most.", usage)
    return c.DigestAt(at, timezone, weekdays_only)


def _parse_digest_show(rest: str) -> c.Command:
    if rest:
        raise UsageError(
            f"I don't know `digest {rest.split()[0][:20]}`.",
            "digest at HH:MM [Area/City] [weekdays|daily] | digest join | digest leave | "
            "digest show | digest off",
        )
    return c.DigestShow()


def _parse_help(rest: str) -> c.Command:
    topic = " ".join(rest.lower().split())
    if topic and find(topic) is None:
        raise UsageError(f"There's no command `{topic[:40]}`.", "help [command]")
    return c.Help(topic)


SPECS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "start",
        "start <description> [@project] [#tag ...] [$]",
        "Start a timer. `@project` matches by name or unique prefix; `$` marks it billable.",
        _parse_start,
        ("start Weekly sync @Website #meeting", 'start Review @"Web shop" $'),
        calls=1,
        worst_calls=2,
    ),
    CommandSpec("stop", "stop", "Stop the running timer.", _no_args(c.Stop(), "stop"),
                calls=1, worst_calls=2),
    CommandSpec("current", "current", "Show the running timer and how long it has run.",
                _no_args(c.Current(), "current"), aliases=("status", "now"), calls=1,
                worst_calls=1),
    CommandSpec("continue", "continue", "Start again what you tracked last.",
                _no_args(c.Continue(), "continue"), aliases=("resume",), calls=1,
                worst_calls=2),
    CommandSpec(
        "summary",
        "summary [today|yesterday|week|last week|month|YYYY-MM-DD[..YYYY-MM-DD]]",
        "Totals by project and client, in your Toggl time zone.",
        _parse_summary,
        ("summary", "summary week", "summary 2026-11-01..2026-11-15"),
        aliases=("report",),
        calls=1,
        worst_calls=1,
    ),
    CommandSpec("clients", "clients [active|archived|both] [name filter]",
                "List your workspace's clients.", _parse_clients,
                ("clients", "clients archived"), calls=1, worst_calls=1),
    CommandSpec("projects", "projects [active|archived|both]", "List your workspace's projects.",
                _parse_projects, calls=1, worst_calls=1),
    CommandSpec("add client", "add client <name>", "Create a client in your default workspace.",
                _parse_add_client, ('add client "Acme Corp"',), calls=1, worst_calls=1),
    CommandSpec("quota", "quota", "How many Toggl requests you have left this hour.",
                _no_args(c.QuotaStatus(), "quota")),
    CommandSpec("refresh", "refresh", "Reload your projects, clients and tags from Toggl.",
                _no_args(c.Refresh(), "refresh"), calls=1, worst_calls=1),
    CommandSpec("login", "login [API token]",
                "Connect your Toggl account (token from Toggl's Profile settings).",
                _parse_login, calls=1, worst_calls=1),
    CommandSpec("logout", "logout", "Disconnect and delete everything the bot stored for you.",
                _no_args(c.Logout(), "logout")),
    CommandSpec("help", "help [command]", "Show commands, or one command in detail.",
                _parse_help, aliases=("?",)),
    CommandSpec(
        "digest at",
        "digest at HH:MM [Area/City] [weekdays|daily]",
        "Post a daily summary of who tracked what to this channel. The time zone defaults "
        "to your Toggl time zone; `weekdays` skips weekends.",
        _parse_digest_at,
        ("digest at 18:00 Europe/Berlin weekdays", "digest at 9:30"),
    ),
    CommandSpec("digest join", "digest join",
                "Include yourself in this channel's digest (nobody is included otherwise).",
                _no_args(c.DigestJoin(), "digest join")),
    CommandSpec("digest leave", "digest leave", "Leave this channel's digest.",
                _no_args(c.DigestLeave(), "digest leave")),
    CommandSpec("digest show", "digest show",
                "Show this channel's digest: time, time zone and members.",
                _parse_digest_show, aliases=("digest",)),
    CommandSpec("digest off", "digest off", "Stop this channel's digest.",
                _no_args(c.DigestOff(), "digest off")),
)

_BY_WORDS = {word: s for s in SPECS for word in s.words()}


def spec(name: str) -> CommandSpec:
    return _BY_WORDS[name]


def find(words: str) -> CommandSpec | None:
    return _BY_WORDS.get(words)


def clean(text: str) -> str:
    """Drop control and bidi characters and squeeze spaces; descriptions stay readable."""
    return " ".join(_CONTROL.sub(" ", text).split())


def parse(text: str) -> c.Command:
    """Text a person typed -> a command. Raises only UsageError."""
    if len(text) > MAX_TEXT:
        raise UsageError(f"That's too long (at most {MAX_TEXT} characters).")
    text = clean(text)
    if text.lower().startswith("/toggl"):
        text = text[len("/toggl") :].strip()
    if not text:
        return c.Help()
    words = text.split(" ")
    for size in (2, 1):
        head = " ".join(words[:size]).lower()
        found = find(head) if len(words) >= size else None
        if found is not None:
            return found.parse(" ".join(words[size:]))
    raise UsageError(_unknown(words[0]))


def _unknown(word: str) -> str:
    if re.fullmatch(r"[0-9a-f]{32}", word.lower()):
        # A pasted API token: never echo it back, point to login instead.
        return "That looks like an API token. Use `login <token>` to connect."
    close = difflib.get_close_matches(word.lower(), list(_BY_WORDS), n=1)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    return f"I don't know the command `{word[:40]}`.{hint} Type `help` to see them all."
