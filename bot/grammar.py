"""The grammar people type, as one table.

The table is the single source of truth for parsing, ``help``, usage lines in errors, the
Slack usage hint, Discord option descriptions and the Toggl call budget asserted in tests.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import SecretStr

from bot import catalog_grammar as cg
from bot import commands as c
from bot import entry_grammar as eg
from bot import periods
from bot.digest.schedule import parse_clock, zone_name
from bot.errors import UsageError
from bot.tokens import tokenize

MAX_TEXT = 4000
MAX_DESCRIPTION = 3000

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


def _or_entry(word: str, parse_rest: Callable[[str], c.Command]) -> Callable[[str], c.Command]:
    """`add client call 09:00-10:00` is a finished entry called "client call", not a client."""

    def parse(rest: str) -> c.Command:
        if any(eg.RANGE.fullmatch(t.text) for t in tokenize(rest) if not t.quoted):
            return eg.parse_add(f"{word} {rest}")
        return parse_rest(rest)

    return parse


def _parse_summary(rest: str) -> c.Command:
    key = " ".join(rest.lower().split())
    if not key:
        return c.Summary(c.Period("today"))
    return c.Summary(periods.period_of(key) or periods.dates(key))


def _parse_entries(rest: str) -> c.Command:
    key = " ".join(rest.lower().split())
    if not key:
        return c.ListEntries(c.Period("today"))
    period = periods.period_of(key)
    if period is None:
        raise UsageError(f"I don't know the day `{key[:40]}`.", spec("entries").usage)
    return c.ListEntries(period)


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
        periods.SUMMARY,
        "Totals by project and client, in your Toggl time zone.",
        _parse_summary,
        ("summary", "summary week", "summary 2026-11-01..2026-11-15"),
        aliases=("report",),
        calls=1,
        worst_calls=1,
    ),
    CommandSpec("clients", cg.CLIENTS,
                "List your workspace's clients.", cg.parse_clients,
                ("clients", "clients archived"), calls=1, worst_calls=1),
    CommandSpec("projects", cg.PROJECTS, "List your workspace's projects.",
                cg.parse_projects, calls=1, worst_calls=1),
    CommandSpec("add client", cg.ADD_CLIENT, "Create a client in your default workspace.",
                _or_entry("client", cg.parse_add_client), ('add client "Acme Corp"',), calls=1,
                worst_calls=1),
    CommandSpec("rename client", cg.RENAME_CLIENT, "Rename a client.",
                cg.parse_rename_client, ("rename client Globex to Globex Ltd",), calls=1,
                worst_calls=2),
    CommandSpec("archive client", cg.ARCHIVE_CLIENT,
                "Archive a client and its projects (a paid Toggl plan feature).",
                cg.parse_archive_client, ("archive client Globex",), calls=1, worst_calls=2),
    CommandSpec("restore client", cg.RESTORE_CLIENT,
                "Restore an archived client; `with projects` restores its projects too.",
                cg.parse_restore_client, ("restore client Globex with projects",), calls=1,
                worst_calls=2),
    CommandSpec("delete client", cg.DELETE_CLIENT,
                "Delete a client after you confirm; its projects stay, without a client.",
                cg.parse_delete_client, ('delete client "Acme Corp"',), calls=0, worst_calls=1),
    CommandSpec("add project", cg.ADD_PROJECT,
                "Create a project, optionally for a client.",
                _or_entry("project", cg.parse_add_project),
                ('add project "Mobile app" $Acme', "add project Internal"), calls=1,
                worst_calls=2),
    CommandSpec("tags", "tags", "List your workspace's tags.", _no_args(c.ListTags(), "tags"),
                calls=1, worst_calls=1),
    CommandSpec("add tag", cg.ADD_TAG, "Create a tag.", _or_entry("tag", cg.parse_add_tag),
                ("add tag billable",), calls=1, worst_calls=1),
    CommandSpec(
        "entries",
        "entries [today|yesterday|week|last week|month|YYYY-MM-DD[..YYYY-MM-DD]]",
        "List your time entries with the short ids `edit`, `delete` and `tag` take.",
        _parse_entries,
        ("entries", "entries yesterday", "entries 2026-11-20"),
        calls=1,
        worst_calls=1,
    ),
    CommandSpec(
        "edit",
        eg.EDIT_USAGE,
        "Change an entry: new description words, `@project` (`-@` removes it), `#tag` adds, "
        "`-#tag` removes, `$`/`-$` billable, start and stop times in your time zone.",
        eg.parse_edit,
        ("edit last Weekly sync @Website", "edit 4821 #meeting -#deep-work",
         "edit last start 09:15 stop 10:00"),
        calls=1,
        worst_calls=3,
    ),
    CommandSpec("delete", eg.DELETE_USAGE, "Delete a time entry after you confirm.",
                eg.parse_delete, ("delete last", "delete 4821"), calls=0, worst_calls=1),
    CommandSpec(
        "add",
        eg.ADD_USAGE,
        "Add a finished entry, e.g. one you forgot to track, in your time zone.",
        eg.parse_add,
        ("add Code review 14:00-15:30 @Website", "add Planning 09:00-09:30 yesterday #meeting"),
        calls=1,
        worst_calls=2,
    ),
    CommandSpec(
        "tag",
        eg.TAG_USAGE,
        "Add `#tag` or remove `-#tag` on many entries at once: ids from `entries`, or a day.",
        eg.parse_tag,
        ("tag today #billable", "tag 4821 4822 #client -#internal"),
        calls=2,
        worst_calls=2,
    ),
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
