"""One declaration per command: the row everything else is generated from.

A command is a frozen dataclass whose fields are annotated with parameter kinds
(``bot.grammar.params``), decorated with ``@declare(...)`` for its name, summary,
examples and Toggl call budget; its handler joins the row with ``@handles``. The text
parser, help on every platform, the Slack usage hint and the Discord app commands are all
read from ``DECLARATIONS``.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.errors import UsageError
from bot.grammar.params import Param, Raw

T = TypeVar("T")
Handler = Callable[[Any, Any], Awaitable[Any]]


@dataclass(slots=True)
class Declaration:
    """A command: its words, parameters, what it does, what it costs, who runs it."""

    name: str
    command: type
    summary: str
    params: tuple[Param, ...]
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    calls: int = 0  # Toggl requests on the common path
    worst_calls: int = 0  # ... and at most, e.g. on a cache miss
    check: Callable[[Any], None] | None = None  # a rule across parameters
    handler: Handler | None = None  # joined by ``@handles``

    def words(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def build(self, raw: Mapping[str, Raw]) -> Any:
        """Raw values (typed text or Discord options) -> the command, validated."""
        with self.explaining():
            fields: dict[str, Any] = {}
            for param in self.params:
                fields.update(param.validate(raw.get(param.name)))
            built = self.command(**fields)
            if self.check is not None:
                self.check(built)
        return built

    @contextmanager
    def explaining(self) -> Iterator[None]:
        """A usage error raised inside names this command, so its usage can be shown."""
        try:
            yield
        except UsageError as exc:
            raise UsageError(exc.message, exc.command or self.name) from None


DECLARATIONS: list[Declaration] = []
_BY_WORDS: dict[str, Declaration] = {}
_BY_TYPE: dict[type, Declaration] = {}


def declare(
    name: str,
    summary: str,
    *,
    examples: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    calls: int = 0,
    worst_calls: int | None = None,
    check: Callable[[Any], None] | None = None,
) -> Callable[[type[T]], type[T]]:
    """Class decorator: the dataclass below is the command ``name``."""

    def register(cls: type[T]) -> type[T]:
        hints = typing.get_type_hints(cls, include_extras=True)
        params = tuple(
            meta.bind(f.name)
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            for meta in getattr(hints[f.name], "__metadata__", ())
            if isinstance(meta, Param)
        )
        row = Declaration(name, cls, summary, params, examples, aliases, calls,
                          calls if worst_calls is None else worst_calls, check)
        DECLARATIONS.append(row)
        _BY_TYPE[cls] = row
        for word in row.words():
            if word in _BY_WORDS:
                raise ValueError(f"two commands are called {word!r}")
            _BY_WORDS[word] = row
        return cls

    return register


def handles(command: type) -> Callable[[T], T]:
    """Function decorator: this coroutine runs ``command``."""

    def join(handler: T) -> T:
        row = _BY_TYPE[command] if command in _BY_TYPE else _internal(command)
        if row.handler is not None:
            raise ValueError(f"{command.__name__} has two handlers")
        row.handler = handler  # type: ignore[assignment]
        return handler

    return join


_INTERNAL: dict[type, Declaration] = {}


def _internal(command: type) -> Declaration:
    """Commands nobody types (the status panel) have a handler but no grammar."""
    return _INTERNAL.setdefault(command, Declaration(command.__name__, command, "", ()))


def declaration_of(command: type) -> Declaration:
    """The row of a command class (typed or internal)."""
    return _BY_TYPE.get(command) or _internal(command)


def find(words: str) -> Declaration | None:
    """The command called ``words`` (a name or an alias, lower case)."""
    return _BY_WORDS.get(words)


def declaration(name: str) -> Declaration:
    return _BY_WORDS[name]


def every_word() -> list[str]:
    return list(_BY_WORDS)
