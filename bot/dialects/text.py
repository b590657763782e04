"""Typed text -> a command: one reader for every declaration, driven by its parameters.

``read`` sorts the words after a command's name into raw values by each parameter's
``Form`` (``@project``, ``#tag``, ``start 09:15``, the first word, what is left…);
``Declaration.build`` then validates them, exactly as it validates Discord options.
"""

from __future__ import annotations

import difflib
import re

from bot import commands as c
from bot.errors import UsageError
from bot.grammar.declare import Declaration, declaration, every_word, find
from bot.grammar.params import (
    Billable,
    Choice,
    Form,
    Mark,
    Param,
    Raw,
    Tags,
    Words,
    clean,
)
from bot.grammar.phrases import DURATION_SHAPE
from bot.grammar.tokens import Token, tokenize

MAX_TEXT = 4000
RANGE = re.compile(r"(?P<start>[0-9]{1,2}:[0-9]{2})[-–](?P<stop>[0-9]{1,2}:[0-9]{2})")
_DAY = re.compile(r"today|yesterday|[0-9]{4}-[0-9]{2}-[0-9]{2}", re.IGNORECASE)
_TOKEN_LIKE = re.compile(r"[0-9a-f]{32}")
# `add client call 09:00-10:00` is a finished entry called "client call", not a client.
_ENTRY_FIRST = frozenset({"add client", "add project", "add tag"})


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
            rest = " ".join(words[size:])
            if found.name in _ENTRY_FIRST and _has_range(rest):
                found, rest = declaration("add"), " ".join(words[1:])
            command: c.Command = found.build(read(found, rest))
            return command
    raise UsageError(_unknown(words[0]))


def _has_range(rest: str) -> bool:
    return any(RANGE.fullmatch(t.text) for t in tokenize(rest) if not t.quoted)


def _unknown(word: str) -> str:
    if _TOKEN_LIKE.fullmatch(word.lower()):
        # A pasted API token: never echo it back, point to login instead.
        return "That looks like an API token. Use `login` to connect: it asks for it privately."
    close = difflib.get_close_matches(word.lower(), every_word(), n=1)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    return f"I don't know the command `{word[:40]}`.{hint} Type `help` to see them all."


def read(decl: Declaration, rest: str) -> dict[str, Raw]:
    """The raw values of ``decl``'s parameters in ``rest`` (the text after its name)."""
    with decl.explaining():
        return _Reader(decl, tokenize(rest)).read()


def read_inline(decl: Declaration, text: str) -> dict[str, Raw]:
    """``Review @Website #meeting $`` in a Discord description option, read as typed text.

    Only names, tags and signs count there; times and days have options of their own.
    """
    reader = _Reader(decl, tokenize(text))
    reader.forms = {form: params for form, params in reader.forms.items()
                    if form in (Form.MARK, Form.SIGN, Form.WORDS)}
    with decl.explaining():
        reader._scan()
    return reader.raw


class _Reader:
    def __init__(self, decl: Declaration, tokens: list[Token]) -> None:
        self.decl = decl
        self.tokens = tokens
        self.raw: dict[str, Raw] = {}
        self.forms: dict[Form, list[Param]] = {}
        for param in decl.params:
            self.forms.setdefault(param.form, []).append(param)

    def _of(self, form: Form) -> list[Param]:
        return self.forms.get(form, [])

    def read(self) -> dict[str, Raw]:
        self._confirm()
        self._head()
        self._when()
        self._range()
        self._after()
        self._phrase()
        self._scan()
        return self.raw

    def _confirm(self) -> None:
        params, tokens = self._of(Form.CONFIRM), self.tokens
        if params and len(tokens) >= 2 and not tokens[-2].quoted \
                and tokens[-2].text.lower() == "confirm":
            self.raw[params[0].name] = tokens[-1].text
            self.tokens = tokens[:-2]

    def _head(self) -> None:
        for param in self._of(Form.HEAD):
            if not self.tokens:
                return
            first = self.tokens[0]
            if isinstance(param, Choice) and (first.quoted or param.value(first.text) is None):
                continue
            self.raw[param.name] = first.text
            self.tokens = self.tokens[1:]

    def _when(self) -> None:
        """`15m ago`, `1h30 ago`, `at 9:30`, `since 9:30`: a moment, taken out of the words."""
        for param in self._of(Form.WHEN):
            found = self._moment()
            if found is not None:
                self.raw[param.name] = found

    def _moment(self) -> str | None:
        tokens = self.tokens
        for i, token in enumerate(tokens):
            word = token.text.lower()
            if token.quoted:
                continue
            if word == "ago":
                before = [t for t in tokens[max(0, i - 2):i] if not t.quoted]
                digits = [k for k, t in enumerate(before) if t.text[:1].isdigit()]
                if not digits:
                    continue  # `start Long ago`: just words
                phrase = before[digits[0]:]
                self.tokens = tokens[:i - len(phrase)] + tokens[i + 1:]
                return " ".join([*(t.text for t in phrase), "ago"])
            if word in ("at", "since") and self._clock_after(i):
                self.tokens = tokens[:i] + tokens[i + 2:]
                return f"at {tokens[i + 1].text}"
        return None

    def _clock_after(self, i: int) -> bool:
        following = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        return following is not None and not following.quoted and following.text[:1].isdigit()

    def _range(self) -> None:
        ends = self._of(Form.RANGE)
        if not ends:
            return
        at = next((i for i, t in enumerate(self.tokens)
                   if not t.quoted and RANGE.fullmatch(t.text)), None)
        if at is None:
            self._duration(ends[0].name)
            return
        span = RANGE.fullmatch(self.tokens[at].text)
        assert span is not None
        self.raw[ends[0].name], self.raw[ends[1].name] = span["start"], span["stop"]
        self.tokens = self.tokens[:at] + self.tokens[at + 1 :]
        self._day(at)

    def _duration(self, start: str) -> None:
        """`2h`, or `1h30 yesterday at 14:00`: how long, and when it started if said."""
        lengths = self._of(Form.DURATION)
        if not lengths:
            raise UsageError("Give the time as HH:MM-HH:MM, e.g. `add Review 09:00-10:30`.")
        at = next((i for i, t in enumerate(self.tokens) if not t.quoted
                   and t.text.lower() in ("at", "since") and self._clock_after(i)), None)
        if at is not None:
            self.raw[start] = self.tokens[at + 1].text
            self.tokens = self.tokens[:at] + self.tokens[at + 2:]
            self._day(at)
            self._day(at - 1)
        found = next((i for i in range(len(self.tokens) - 1, -1, -1) if not self.tokens[i].quoted
                      and DURATION_SHAPE.fullmatch(self.tokens[i].text)), None)
        if found is None:
            raise UsageError("Say how long or from when to when, e.g. `add Review 1h30` or "
                             "`add Review 09:00-10:30`.")
        self.raw[lengths[0].name] = self.tokens[found].text
        self.tokens = self.tokens[:found] + self.tokens[found + 1:]
        self._day(found)

    def _day(self, at: int) -> None:
        """A day word at ``at`` (right after a range or duration, or before `at`)."""
        for day in self._of(Form.DAY):
            token = self.tokens[at] if 0 <= at < len(self.tokens) else None
            if token is not None and not token.quoted and _DAY.fullmatch(token.text) \
                    and day.name not in self.raw:
                self.raw[day.name] = token.text
                self.tokens = self.tokens[:at] + self.tokens[at + 1:]

    def _after(self) -> None:
        for param in self._of(Form.AFTER):
            keyword = getattr(param, "keyword", "")
            at = next((i for i, t in enumerate(self.tokens)
                       if not t.quoted and t.text.lower() == keyword), None)
            if at is None:
                raise UsageError(f"Say the new name after `{keyword}`.")
            self.raw[param.name] = " ".join(t.text for t in self.tokens[at + 1 :])
            self.tokens = self.tokens[:at]

    def _phrase(self) -> None:
        for param in self._of(Form.PHRASE):
            pattern = re.compile(getattr(param, "phrase", ""), re.IGNORECASE)
            for size in (3, 2):
                tail = self.tokens[-size:]
                if len(self.tokens) > size and not any(t.quoted for t in tail) \
                        and pattern.fullmatch(" ".join(t.text for t in tail)):
                    self.raw[param.name] = True
                    self.tokens = self.tokens[:-size]
                    break

    def _scan(self) -> None:
        """Marks, signs, keywords, choices and the free words, in one pass."""
        marks = {p.sign: p for p in self._of(Form.MARK) if isinstance(p, Mark)}
        tags = {p.sign: p for p in self._of(Form.MARK) if isinstance(p, Tags)}
        clears = {p.clear: p for p in marks.values() if p.clear}
        signs: dict[str, tuple[Param, bool]] = {}
        for p in self._of(Form.SIGN):
            if isinstance(p, Billable):
                signs.update({s: (p, True) for s in p.signs})
                signs.update({s: (p, False) for s in p.off_signs})
        keywords = {getattr(p, "keyword", ""): p for p in self._of(Form.KEYWORD)}
        words_param = next(iter(self._of(Form.WORDS)), None)
        collected: dict[str, list[str]] = {}
        words: list[str] = []
        described = False
        in_mark: Param | None = None
        tokens, index = self.tokens, 0
        while index < len(tokens):
            token, text = tokens[index], tokens[index].text
            lowered = text.lower()
            index += 1
            if token.quoted:
                if in_mark is not None:
                    collected[in_mark.name].append(text)
                else:
                    words.append(text)
                    described = True
                continue
            if lowered in signs:
                param, value = signs[lowered]
                self.raw[param.name], in_mark = value, None
            elif text in clears:
                self.raw[clears[text].name], in_mark = "", None
            elif (sign := _tag_sign(text, tags)) is not None:
                name = text[len(sign) :]
                if not name:
                    raise UsageError("A # needs a tag name after it.")
                collected.setdefault(tags[sign].name, []).append(name)
                in_mark = None
            elif text[:1] in marks:
                in_mark = marks[text[:1]]
                if in_mark.name in collected:
                    raise UsageError(f"Only one {in_mark.sign}{getattr(in_mark, 'what', '')} "
                                     "per entry.")
                collected[in_mark.name] = [text[1:]] if text[1:] else []
            elif lowered in keywords:
                following = tokens[index] if index < len(tokens) else None
                if following is None:
                    raise UsageError(f"`{lowered}` needs a time after it, e.g. "
                                     f"`{lowered} 17:30`.")
                if following.quoted or not following.text[:1].isdigit():
                    words.append(text)  # `edit last start the server`: just words
                    continue
                self.raw[keywords[lowered].name], in_mark = following.text, None
                index += 1
            elif in_mark is not None:
                collected[in_mark.name].append(text)
            elif isinstance(words_param, Words) and words_param.keyword == lowered and not words:
                described = True
            elif self._choice(text):
                in_mark = None
            else:
                words.append(text)
        self._finish(marks, tags, collected, words, described, words_param)

    def _choice(self, text: str) -> bool:
        for param in self._of(Form.CHOICE):
            if isinstance(param, Choice) and param.value(text) is not None:
                if param.name in self.raw:
                    raise UsageError(f"Say {param.usage()} once.")
                self.raw[param.name] = text
                return True
        loose = self._of(Form.LOOSE)
        if loose and not self._of(Form.WORDS):
            if loose[0].name in self.raw:
                raise UsageError("Give one time zone at most.")
            self.raw[loose[0].name] = text
            return True
        return False

    def _finish(
        self, marks: dict[str, Mark], tags: dict[str, Tags], collected: dict[str, list[str]],
        words: list[str], described: bool, words_param: Param | None,
    ) -> None:
        for mark in marks.values():
            if mark.name in collected:
                name = " ".join(collected[mark.name])
                if not name:
                    raise UsageError(f"An {mark.sign} needs a {mark.what} name after it."
                                     if mark.sign == "@" else
                                     f"A {mark.sign} needs a {mark.what} name after it.")
                self.raw[mark.name] = name
        for tag in tags.values():
            self.raw[tag.name] = tuple(collected.get(tag.name, ()))
        if words or described:
            if words_param is None:
                if not self.decl.params:
                    raise UsageError(f"`{self.decl.name}` takes no arguments.")
                raise UsageError(f"I don't understand `{words[0][:40]}` here.")
            self.raw[words_param.name] = " ".join(words)


def _tag_sign(text: str, tags: dict[str, Tags]) -> str | None:
    for sign in sorted(tags, key=len, reverse=True):
        if text.startswith(sign):
            return sign
    return None
