"""The grammar of time-entry edits: `edit`, `delete`, `add` (a finished entry) and `tag`.

Kept apart from ``bot.grammar`` (which holds the table) because these share one scanner
for ``@project``, ``#tag``, ``-#tag``, ``$`` and ``start``/``stop HH:MM``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time

from bot import commands as c
from bot.digest.schedule import parse_clock
from bot.errors import UsageError
from bot.periods import period_of
from bot.tokens import Token, tokenize

MAX_DESCRIPTION = 3000
MAX_REFS = 1000

EDIT_USAGE = (
    "edit <id|last> [description] [@project|-@] [#tag] [-#tag] [$|-$] [start HH:MM] [stop HH:MM]"
)
DELETE_USAGE = "delete <id|last>"
ADD_USAGE = "add <description> <HH:MM>-<HH:MM> [today|yesterday|YYYY-MM-DD] [@project] [#tag] [$]"
TAG_USAGE = "tag <id ...|today|yesterday|week|YYYY-MM-DD> #tag [-#tag]"

_REF = re.compile(r"last|[0-9]{1,19}", re.IGNORECASE)
RANGE = re.compile(r"(?P<start>[0-9]{1,2}:[0-9]{2})[-–](?P<stop>[0-9]{1,2}:[0-9]{2})")
_CONFIRM = re.compile(r"[A-Za-z0-9._-]{1,120}")
_CLOCK_WORDS = ("start", "stop")


@dataclass(slots=True)
class Scan:
    """What the free-form part of an entry command said."""

    words: list[str] = field(default_factory=list)
    described: bool = False  # a (possibly empty) quoted description or `description` keyword
    project: list[str] | None = None
    clear_project: bool = False
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    billable: bool | None = None
    times: dict[str, time] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return " ".join(self.words)


def scan(tokens: list[Token], usage: str, *, clocks: bool = False) -> Scan:
    """Sort tokens into description words, @project, tags, billable and start/stop times."""
    found = Scan()
    in_project = False
    index = 0
    while index < len(tokens):
        token, text = tokens[index], tokens[index].text
        lowered = text.lower()
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.quoted:
            (found.project if in_project and found.project is not None else found.words).append(
                text
            )
            found.described = found.described or not in_project
        elif clocks and lowered in _CLOCK_WORDS and following and _is_clock(following):
            found.times[lowered] = parse_clock(following.text, usage)
            index, in_project = index + 1, False
        elif lowered in ("$", "-$"):
            found.billable, in_project = lowered == "$", False
        elif text == "-@":
            found.clear_project, in_project = True, False
        elif text.startswith("@"):
            if found.project is not None:
                raise UsageError("Only one @project per entry.", usage)
            found.project, in_project = ([text[1:]] if text[1:] else []), True
        elif text.startswith(("#", "-#")):
            name = text[1:] if text.startswith("#") else text[2:]
            if not name:
                raise UsageError("A # needs a tag name after it.", usage)
            (found.add_tags if text.startswith("#") else found.remove_tags).append(name)
            in_project = False
        elif in_project and found.project is not None:
            found.project.append(text)
        elif clocks and lowered == "description" and not found.words:
            found.described = True
        else:
            found.words.append(text)
        index += 1
    if found.project is not None and not found.project:
        raise UsageError("An @ needs a project name after it.", usage)
    if len(found.description) > MAX_DESCRIPTION:
        raise UsageError(f"Descriptions can be at most {MAX_DESCRIPTION} characters.", usage)
    return found


def _is_clock(token: Token) -> bool:
    return not token.quoted and re.fullmatch(r"[0-9]{1,2}:[0-9]{2}", token.text) is not None


def _project(found: Scan) -> str | None:
    return " ".join(found.project) if found.project else None


def entry_ref(token: Token | None, usage: str) -> str:
    """`last`, a Toggl id, or the short id `entries` shows."""
    if token is None:
        raise UsageError("Say which entry: `last`, or its id from `entries`.", usage)
    if token.quoted or not _REF.fullmatch(token.text):
        raise UsageError(
            f"`{token.text[:20]}` is not an entry id; use `last` or an id from `entries`.", usage
        )
    return token.text.lower()


def parse_edit(rest: str) -> c.Command:
    tokens = tokenize(rest)
    ref = entry_ref(tokens[0] if tokens else None, EDIT_USAGE)
    found = scan(tokens[1:], EDIT_USAGE, clocks=True)
    command = c.EditEntry(
        ref,
        description=found.description if found.words or found.described else None,
        project="" if found.clear_project else _project(found),
        add_tags=tuple(dict.fromkeys(found.add_tags)),
        remove_tags=tuple(dict.fromkeys(found.remove_tags)),
        start=found.times.get("start"),
        stop=found.times.get("stop"),
        billable=found.billable,
    )
    if command == c.EditEntry(ref):
        raise UsageError("Say what to change, e.g. `edit last @Website #meeting`.", EDIT_USAGE)
    return command


def parse_delete(rest: str) -> c.Command:
    tokens = tokenize(rest)
    ref = entry_ref(tokens[0] if tokens else None, DELETE_USAGE)
    return c.DeleteEntry(ref, confirmation(tokens[1:], DELETE_USAGE))


def confirmation(tokens: list[Token], usage: str) -> str:
    """The `confirm <token>` a Delete button appends; nothing else may follow."""
    if not tokens:
        return ""
    words = [t.text for t in tokens]
    if len(words) != 2 or words[0].lower() != "confirm" or not _CONFIRM.fullmatch(words[1]):
        raise UsageError("Nothing may follow the entry id.", usage)
    return words[1]


def parse_add(rest: str) -> c.Command:
    tokens = tokenize(rest)
    at = next((i for i, t in enumerate(tokens) if not t.quoted and RANGE.fullmatch(t.text)), None)
    if at is None:
        raise UsageError("Give the time as HH:MM-HH:MM, e.g. `add Review 09:00-10:30`.", ADD_USAGE)
    span = RANGE.fullmatch(tokens[at].text)
    assert span is not None
    start, stop = parse_clock(span["start"], ADD_USAGE), parse_clock(span["stop"], ADD_USAGE)
    if stop <= start:
        raise UsageError("The entry stops before it starts.", ADD_USAGE)
    day = _day(tokens[at + 1]) if at + 1 < len(tokens) else None
    rest_tokens = tokens[:at] + tokens[at + (2 if day is not None else 1) :]
    days_ago = day if isinstance(day, int) else 0
    found = scan(rest_tokens, ADD_USAGE)
    if found.remove_tags or found.clear_project or found.billable is False:
        raise UsageError("`-#`, `-@` and `-$` are for `edit`.", ADD_USAGE)
    return c.AddEntry(
        found.description,
        start,
        stop,
        day if isinstance(day, date) else None,
        days_ago,
        _project(found),
        tuple(dict.fromkeys(found.add_tags)),
        bool(found.billable),
    )


def _day(token: Token) -> date | int | None:
    """A day right after the time range: a date, days ago (`today`, `yesterday`) or None."""
    word = token.text.lower()
    if token.quoted:
        return None
    if word in ("today", "yesterday"):
        return 0 if word == "today" else 1
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", word):
        return None
    try:
        return date.fromisoformat(word) if len(word) == 10 else None
    except ValueError:
        raise UsageError(f"`{word}` is not a date; use YYYY-MM-DD.", ADD_USAGE) from None


def parse_tag(rest: str) -> c.Command:
    tokens = tokenize(rest)
    found = scan(tokens, TAG_USAGE)
    if found.project is not None or found.billable is not None or found.clear_project:
        raise UsageError("`tag` only adds `#tag` and removes `-#tag`.", TAG_USAGE)
    if not found.add_tags and not found.remove_tags:
        raise UsageError("Say which tags, e.g. `tag today #billable`.", TAG_USAGE)
    adds, removes = tuple(dict.fromkeys(found.add_tags)), tuple(dict.fromkeys(found.remove_tags))
    period = period_of(" ".join(found.words).lower()) if found.words else None
    if period is not None:
        return c.TagEntries(period=period, add_tags=adds, remove_tags=removes)
    refs = tuple(dict.fromkeys(entry_ref(Token(w), TAG_USAGE) for w in found.words))
    if not refs:
        raise UsageError("Say which entries: ids from `entries`, or a day.", TAG_USAGE)
    if len(refs) > MAX_REFS:
        raise UsageError(f"At most {MAX_REFS} ids at once; tag a whole day or week instead.")
    return c.TagEntries(refs=refs, add_tags=adds, remove_tags=removes)
