"""The kinds of parameter a command takes.

Each kind knows three things about its parameter: how it is written in typed text (its
``form`` and usage fragment), which options Discord offers for it, and the one validator
that both typed text and Discord options go through. A command declares its parameters
by annotating its fields with these (``bot.commands``); nothing else validates input.

Raw values are what was typed, before validation: ``str`` for words, ``tuple[str, ...]``
for repeated marks (`#a #b`), ``bool`` for signs and flags, ``None`` when absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import SecretStr

from bot.errors import UsageError
from bot.grammar import periods
from bot.grammar.clock import parse_clock, zone_name
from bot.grammar.phrases import parse_duration, parse_when

Raw = str | bool | tuple[str, ...] | None
OptionValue = str | bool
Complete = Literal["", "project", "client", "tag", "zone", "command", "when"]

MAX_TEXT_OPTION = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_REF = re.compile(r"last|[0-9]{4,19}", re.IGNORECASE)  # short ids have 4+ digits
_CONFIRM = re.compile(r"[A-Za-z0-9._-]{1,120}")
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_\-]{6,128}")
MAX_REFS = 1000


def clean(text: str) -> str:
    """Drop control and bidi characters and squeeze spaces; descriptions stay readable."""
    return " ".join(_CONTROL.sub(" ", text).split())


class Form(StrEnum):
    """How a parameter is written in typed text."""

    WORDS = "words"  # the words left once everything else is read
    HEAD = "head"  # the first word, when it has the parameter's shape
    MARK = "mark"  # a prefixed word (`@Acme Web`: more plain words may follow)
    SIGN = "sign"  # a bare sign: `$`, `-$`, `-@`
    KEYWORD = "keyword"  # a word, then its value: `start 09:15`
    AFTER = "after"  # a word, then every remaining word: `to New name`
    RANGE = "range"  # one of the two ends of `HH:MM-HH:MM`
    DAY = "day"  # a day right after the range
    PHRASE = "phrase"  # a phrase at the end: `with projects`
    CHOICE = "choice"  # one of fixed words, anywhere after the head
    LOOSE = "loose"  # one more word that is no choice (a time zone)
    CONFIRM = "confirm"  # `confirm <token>` at the end: only buttons send it
    WHEN = "when"  # `15m ago`, `at 9:30`, `since 9:30`, anywhere
    DURATION = "duration"  # `2h`, `1h30`, `90m` (with `at HH:MM` in place of a range)


@dataclass(frozen=True, slots=True)
class Option:
    """One Discord option of a parameter."""

    name: str
    help: str
    type: Literal["text", "bool"] = "text"
    required: bool = False
    max_length: int = 100
    choices: tuple[str, ...] = ()
    complete: Complete = ""


@dataclass(frozen=True)
class Param:
    """A parameter: bound to its field by ``bot.grammar.declare``; subclasses are kinds."""

    help: str
    required: bool = False
    name: str = ""  # the field it fills, set when the command is declared
    option_name: str = ""  # on Discord; default: the field name with dashes
    form: Form = Form.WORDS
    usage_text: str = ""  # in a usage line, e.g. `[@project]`

    def bind(self, name: str) -> Param:
        return replace(self, name=name, option_name=self.option_name or name.replace("_", "-"))

    # --- typed text -------------------------------------------------------------------
    def usage(self) -> str:
        return self.usage_text

    # --- Discord ----------------------------------------------------------------------
    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, required=self.required),)

    def from_options(self, values: Mapping[str, OptionValue]) -> Raw:
        """The raw value from this parameter's Discord options (absent ones missing)."""
        value = values.get(self.option_name)
        return clean(value) if isinstance(value, str) else value

    def as_options(self, raw: Raw) -> list[str]:
        """``name:value`` as a person types it on Discord, for examples in help."""
        if raw is None or raw == () or raw is False:
            return []
        shown = ", ".join(raw) if isinstance(raw, tuple) else "True" if raw is True else raw
        return [f"{self.option_name}:{shown}"]

    # --- the one validator ------------------------------------------------------------
    def validate(self, raw: Raw) -> dict[str, Any]:
        """Raw -> the command's field values; raises UsageError."""
        return {self.name: raw}


def _text(raw: Raw) -> str:
    return raw if isinstance(raw, str) else ""


@dataclass(frozen=True)
class Words(Param):
    """Free words: a description, a filter. ``what`` makes them a required name."""

    max_length: int = 3000
    what: str = ""  # "client": "Give the client's name." when empty
    inline: bool = False  # on Discord, `@project #tag $` inside it count as typed
    explicit: bool = False  # None (leave as is) differs from "" (the `description` word)
    keyword: str = ""  # a word that says "the (empty) words start here"
    strip_prefix: str = ""  # `add tag #billable` names the tag `billable`
    completes: Complete = ""  # Discord autocompletes it from these names

    def usage(self) -> str:
        return self.usage_text or (f"<{self.help}>" if self.required else f"[{self.help}]")

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, required=self.required,
                       max_length=self.max_length, complete=self.complete()),)

    def complete(self) -> Complete:
        return self.completes

    def validate(self, raw: Raw) -> dict[str, Any]:
        if raw is None and self.explicit:
            return {self.name: None}
        text = clean(_text(raw)).removeprefix(self.strip_prefix)
        if self.what and not text:
            raise UsageError(f"Give the {self.what} a name.")
        if len(text) > self.max_length:
            noun = f"{self.what.capitalize()} names" if self.what else "Descriptions"
            raise UsageError(f"{noun} can be at most {self.max_length} characters.")
        return {self.name: text}


@dataclass(frozen=True)
class ClientName(Words):
    """A client's name, typed whole (`rename client Acme Corp to …`)."""

    what: str = "client"
    max_length: int = 100

    def complete(self) -> Complete:
        return "client"


@dataclass(frozen=True)
class NewName(Words):
    """`… to <new name>`."""

    form: Form = Form.AFTER
    keyword: str = "to"


@dataclass(frozen=True)
class Mark(Param):
    """A name after a sign: `@project`, `$client`. ``clear`` is the sign that removes it."""

    form: Form = Form.MARK
    sign: str = "@"
    clear: str = ""  # `-@`: an empty name, meaning "no project"
    clear_option: str = ""  # its Discord option, a boolean
    what: str = "project"
    max_length: int = 255

    def usage(self) -> str:
        shown = f"{self.sign}{self.what}" + (f"|{self.clear}" if self.clear else "")
        return self.usage_text or (f"<{shown}>" if self.required else f"[{shown}]")

    def options(self) -> tuple[Option, ...]:
        own = Option(self.option_name, self.help, required=self.required,
                     max_length=self.max_length, complete=self.what)  # type: ignore[arg-type]
        if not self.clear_option:
            return (own,)
        return own, Option(self.clear_option, f"Remove the {self.what}", type="bool")

    def from_options(self, values: Mapping[str, OptionValue]) -> Raw:
        named = clean(str(values.get(self.option_name) or "")) or None
        if self.clear_option and values.get(self.clear_option) is True:
            if named:
                raise UsageError(f"Choose a {self.what} or `{self.clear_option}`, not both.")
            return ""
        return named

    def as_options(self, raw: Raw) -> list[str]:
        if raw == "" and self.clear_option:
            return [f"{self.clear_option}:True"]
        return super().as_options(raw)

    def validate(self, raw: Raw) -> dict[str, Any]:
        if raw is None or raw == "":
            return {self.name: raw}
        name = clean(_text(raw))
        if not name:
            raise UsageError(f"A {self.sign} needs a {self.what} name after it.")
        if len(name) > self.max_length:
            raise UsageError(
                f"{self.what.capitalize()} names can be at most {self.max_length} characters."
            )
        return {self.name: name}


@dataclass(frozen=True)
class Tags(Param):
    """`#a #b` (or `-#a` to remove); on Discord one option, commas between tags."""

    form: Form = Form.MARK
    sign: str = "#"

    def usage(self) -> str:
        return self.usage_text or f"[{self.sign}tag ...]"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, max_length=500, complete="tag"),)

    def from_options(self, values: Mapping[str, OptionValue]) -> Raw:
        text = values.get(self.option_name)
        if not isinstance(text, str):
            return ()
        return tuple(t.strip().lstrip("#").strip() for t in clean(text).split(","))

    def validate(self, raw: Raw) -> dict[str, Any]:
        tags = raw if isinstance(raw, tuple) else ()
        names = [clean(t) for t in tags]
        if any(len(t) > 100 for t in names):
            raise UsageError("Tag names can be at most 100 characters.")
        return {self.name: tuple(dict.fromkeys(t for t in names if t))}


@dataclass(frozen=True)
class Billable(Param):
    """`$` (and `-$` where it can be taken back); a yes/no option on Discord."""

    form: Form = Form.SIGN
    signs: tuple[str, ...] = ("$", "$billable")
    off_signs: tuple[str, ...] = ()  # `-$`: set to not billable (edit)

    def usage(self) -> str:
        return self.usage_text or ("[$|-$]" if self.off_signs else "[$]")

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, type="bool"),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        if self.off_signs:
            return {self.name: raw if isinstance(raw, bool) else None}
        return {self.name: raw is True}


@dataclass(frozen=True)
class Flag(Param):
    """A phrase at the end that switches something on: `with projects`."""

    form: Form = Form.PHRASE
    phrase: str = ""  # a regular expression, matched at the end of the text

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, type="bool"),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        return {self.name: raw is True}


@dataclass(frozen=True)
class Choice(Param):
    """One of fixed words; ``words`` maps what may be typed to the value."""

    form: Form = Form.CHOICE
    words: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)  # word -> field value, if not it
    default: Any = None

    def usage(self) -> str:
        shown = "|".join(dict.fromkeys(self.words.values()))
        return self.usage_text or (f"<{shown}>" if self.required else f"[{shown}]")

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, required=self.required,
                       choices=tuple(dict.fromkeys(self.words.values()))),)

    def value(self, word: str) -> str | None:
        return self.words.get(word.lower())

    def validate(self, raw: Raw) -> dict[str, Any]:
        if raw is None:
            return {self.name: self.default}
        value = self.value(_text(raw))
        if value is None:
            raise UsageError(f"I don't know `{_text(raw)[:40]}` here; use {self.usage()}.")
        return {self.name: self.values.get(value, value)}


@dataclass(frozen=True)
class Clock(Param):
    """A 24-hour time, HH:MM."""

    form: Form = Form.KEYWORD
    keyword: str = ""

    def usage(self) -> str:
        if self.usage_text:
            return self.usage_text
        shown = f"{self.keyword} HH:MM" if self.keyword else "HH:MM"
        return f"<{shown}>" if self.required else f"[{shown}]"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, required=self.required, max_length=10),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        if raw is None:
            if self.required:
                raise UsageError(f"Give the {self.help.lower()} as HH:MM.")
            return {self.name: None}
        return {self.name: parse_clock(_text(raw))}


@dataclass(frozen=True)
class Zone(Param):
    """An IANA time zone; autocompleted on Discord."""

    form: Form = Form.LOOSE

    def usage(self) -> str:
        return self.usage_text or "[Area/City]"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, max_length=64, complete="zone"),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        return {self.name: zone_name(_text(raw)) if raw else None}


@dataclass(frozen=True)
class PeriodParam(Param):
    """A named period or dates; on Discord a `period` choice or `from`/`to` dates."""

    default: periods.PeriodName | None = "today"

    def usage(self) -> str:
        return self.usage_text or "[today|yesterday|week|last week|month|YYYY-MM-DD[..YYYY-MM-DD]]"

    def options(self) -> tuple[Option, ...]:
        return (
            Option("period", f"A named period (default: {self.default or 'none'})",
                   choices=periods.NAMED),
            Option("from", "First day, YYYY-MM-DD (instead of a period)", max_length=10),
            Option("to", "Last day, YYYY-MM-DD (default: the first day)", max_length=10),
        )

    def from_options(self, values: Mapping[str, OptionValue]) -> Raw:
        named, first, last = (values.get(n) for n in ("period", "from", "to"))
        if first is None and last is None:
            return named if isinstance(named, str) else None
        if named is not None:
            raise UsageError("Choose a period or dates, not both.")
        if not isinstance(first, str):
            raise UsageError("Give the first day in `from` (YYYY-MM-DD).")
        return f"{clean(first)}..{clean(last)}" if isinstance(last, str) else clean(first)

    def as_options(self, raw: Raw) -> list[str]:
        text = _text(raw)
        if not text:
            return []
        found = periods.period_of(text)
        if found is not None and found.name != "range":
            return [f"period:{text}"]
        first, dots, last = text.partition("..")
        return [f"from:{first}"] + ([f"to:{last}"] if dots else [])

    def validate(self, raw: Raw) -> dict[str, Any]:
        text = _text(raw)
        if not text:
            return {self.name: periods.Period(self.default) if self.default else None}
        found = periods.period_of(text)
        if found is None:
            raise UsageError(f"I don't know the period `{text[:40]}`.")
        return {self.name: found}


@dataclass(frozen=True)
class Day(Param):
    """`today`, `yesterday` or YYYY-MM-DD; fills ``day`` (a date) and ``days_ago``."""

    form: Form = Form.DAY

    def usage(self) -> str:
        return self.usage_text or "[today|yesterday|YYYY-MM-DD]"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, max_length=10),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        word = _text(raw).lower()
        if not word or word == "today":
            return {self.name: None, "days_ago": 0}
        if word == "yesterday":
            return {self.name: None, "days_ago": 1}
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", word):
            raise UsageError(f"`{word[:40]}` is not one day; use today, yesterday or YYYY-MM-DD.")
        day: date = periods.parse_date(word)
        return {self.name: day, "days_ago": 0}


@dataclass(frozen=True)
class EntryRef(Param):
    """`last`, a Toggl id, or the short id `entries` shows."""

    form: Form = Form.HEAD
    required: bool = True
    usage_text: str = "<id|last>"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, required=True, max_length=20),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        return {self.name: entry_ref(_text(raw))}


def entry_ref(text: str) -> str:
    """`last`, a Toggl id or a short id, lower-cased; anything else is a UsageError."""
    text = text.strip()
    if not text:
        raise UsageError("Say which entry: `last`, or its id from `entries`.")
    if not _REF.fullmatch(text):
        raise UsageError(f"`{text[:20]}` is not an entry id; use `last`, or an id from "
                         "`entries` (at least its last 4 digits).")
    return text.lower()


# The period options `tag` shares with `summary` and `entries` (no default: ids or dates).
_DATES = PeriodParam(help="", default=None)


@dataclass(frozen=True)
class Entries(Param):
    """Which entries: ids from `entries`, or a period; fills ``refs`` and ``period``."""

    usage_text: str = "<id ...|today|yesterday|week|YYYY-MM-DD>"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, "Ids from /toggl entries, separated by spaces "
                       "(instead of a period)", max_length=MAX_TEXT_OPTION),
                *_DATES.options())

    def from_options(self, values: Mapping[str, OptionValue]) -> Raw:
        ids = values.get(self.option_name)
        dated = _DATES.from_options(values)
        if isinstance(ids, str) and clean(ids) and dated:
            raise UsageError("Choose entry ids or a period, not both.")
        return clean(ids.replace(",", " ")) if isinstance(ids, str) and clean(ids) else dated

    def as_options(self, raw: Raw) -> list[str]:
        text = _text(raw)
        found = periods.period_of(text) if text else None
        if found is not None:
            return _DATES.as_options(text)
        return super().as_options(raw)

    def validate(self, raw: Raw) -> dict[str, Any]:
        text = _text(raw)
        if not text:
            raise UsageError("Say which entries: ids from `entries`, or a day.")
        found = periods.period_of(text)
        if found is not None:
            return {"period": found, self.name: ()}
        refs = tuple(dict.fromkeys(entry_ref(word) for word in text.split()))
        if len(refs) > MAX_REFS:
            raise UsageError(f"At most {MAX_REFS} ids at once; tag a whole day or week instead.")
        return {self.name: refs, "period": None}


@dataclass(frozen=True)
class Secret(Param):
    """An API token typed after `login`: never echoed, and not offered on Discord."""

    usage_text: str = "[API token]"

    def options(self) -> tuple[Option, ...]:
        return ()  # Discord and Slack ask for it in a private form instead

    def validate(self, raw: Raw) -> dict[str, Any]:
        text = _text(raw).strip()
        if not text:
            return {self.name: None}
        if not _TOKEN_SHAPE.fullmatch(text):
            # Never echo what was typed: it may be a real token with a typo.
            raise UsageError("That doesn't look like a Toggl API token.")
        return {self.name: SecretStr(text)}


@dataclass(frozen=True)
class Topic(Param):
    """A command's name, for `help`; checked against the declarations by ``declare``."""

    usage_text: str = "[command]"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, complete="command"),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        return {self.name: " ".join(_text(raw).lower().split())}


@dataclass(frozen=True)
class Confirm(Param):
    """`confirm <token>`, which only the core's own buttons send."""

    form: Form = Form.CONFIRM

    def options(self) -> tuple[Option, ...]:
        return ()

    def validate(self, raw: Raw) -> dict[str, Any]:
        text = _text(raw)
        if text and not _CONFIRM.fullmatch(text):
            raise UsageError("That confirmation is not one I made.")
        return {self.name: text}


@dataclass(frozen=True)
class WhenParam(Param):
    """A moment: `15m ago`, `at 9:30`, `since 9:30`; autocompleted on Discord."""

    form: Form = Form.WHEN
    usage_text: str = "[15m ago|at HH:MM]"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, max_length=20, complete="when"),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        return {self.name: parse_when(_text(raw)) if raw else None}


@dataclass(frozen=True)
class DurationParam(Param):
    """How long: `2h`, `90m`, `1h30`, `1:30`, `1.5h`."""

    form: Form = Form.DURATION
    usage_text: str = ""

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, max_length=12),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        return {self.name: parse_duration(_text(raw)) if raw else None}


# --- reminders --------------------------------------------------------------------------
MAX_REMINDER = timedelta(hours=24)


@dataclass(frozen=True)
class Duration(Param):
    """A duration (`3h`, `30m`, `1h30`); ``off`` (None) where it may be turned off, and
    ``today`` (fills the field ``today``) where the rest of the day makes sense (snooze)."""

    form: Form = Form.HEAD
    off: bool = False
    today: bool = False

    def usage(self) -> str:
        shown = "|".join(["<duration>", *(["today"] if self.today else []),
                          *(["off"] if self.off else [])])
        return self.usage_text or shown

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, required=self.required, max_length=10),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        word = _text(raw).strip().lower()
        extra = {"today": False} if self.today else {}
        if not word:
            if self.required:
                raise UsageError(f"Say how long: {self.usage()}, e.g. `3h` or `30m`.")
            return {self.name: None, **extra}
        if self.off and word == "off":
            return {self.name: None, **extra}
        if self.today and word == "today":
            return {self.name: None, "today": True}
        length = parse_duration(word)
        if length > MAX_REMINDER:
            raise UsageError("Give a duration between 1 minute and 24 hours.")
        return {self.name: length, **extra}


@dataclass(frozen=True)
class ClockOrOff(Clock):
    """HH:MM, or `off` (None)."""

    form: Form = Form.HEAD

    def usage(self) -> str:
        return self.usage_text or "<HH:MM|off>"

    def validate(self, raw: Raw) -> dict[str, Any]:
        word = _text(raw).strip().lower()
        if word == "off":
            return {self.name: None}
        if not word:
            raise UsageError("Give a time as HH:MM (e.g. `17:45`), or `off`.")
        return {self.name: parse_clock(word)}


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = frozenset(range(5))
_DAY_WORDS = {"weekdays": WEEKDAYS, "weekday": WEEKDAYS, "daily": frozenset(range(7)),
              "everyday": frozenset(range(7)), "all": frozenset(range(7))}


def parse_days(text: str) -> frozenset[int]:
    """`mon-fri`, `mon,wed,fri`, `weekdays`, `daily` -> the days (0 = Monday)."""
    word = text.strip().lower()
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    days: set[int] = set()
    for part in word.split(","):
        first, dash, last = part.partition("-")
        try:
            a = DAY_NAMES.index(first[:3]) if len(first) >= 3 else -1
            b = DAY_NAMES.index(last[:3]) if dash else a
        except ValueError:
            a = b = -1
        if a < 0 or b < 0 or (len(first) > 3 and not first.startswith(DAY_NAMES[a])):
            raise UsageError(f"`{text[:30]}` are not days I know; use e.g. `mon-fri` or "
                             "`mon,wed,fri`.")
        days.update(DAY_NAMES.index(DAY_NAMES[(a + i) % 7]) for i in range((b - a) % 7 + 1))
    return frozenset(days)


@dataclass(frozen=True)
class Days(Param):
    """Working days: `mon-fri` (default), `mon,wed,fri`, `weekdays`, `daily`."""

    form: Form = Form.LOOSE

    def usage(self) -> str:
        return self.usage_text or "[mon-fri]"

    def options(self) -> tuple[Option, ...]:
        return (Option(self.option_name, self.help, max_length=40),)

    def validate(self, raw: Raw) -> dict[str, Any]:
        return {self.name: parse_days(_text(raw)) if raw else WEEKDAYS}
