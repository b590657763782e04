"""Option values (as Discord sends them) -> a command, through the same validators as text.

The adapter hands over ``{option name: value}``; each parameter reads its own options
(``Param.from_options``) and ``Declaration.build`` validates, exactly as for typed text.
A description option also honours inline ``@project #tag $``, so a line copied from Slack
works on Discord.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot import commands as c
from bot.dialects.text import read_inline
from bot.errors import UsageError
from bot.grammar.declare import Declaration
from bot.grammar.params import OptionValue, Raw, Words


def from_options(decl: Declaration, values: Mapping[str, OptionValue]) -> c.Command:
    """The command ``decl`` with these option values; raises UsageError."""
    with decl.explaining():
        raw: dict[str, Raw] = {p.name: p.from_options(values) for p in decl.params}
        for param in decl.params:
            if isinstance(param, Words) and param.inline and isinstance(raw[param.name], str):
                _merge(raw, read_inline(decl, str(raw[param.name])), param.name)
    return decl.build(raw)  # type: ignore[no-any-return]


def _merge(raw: dict[str, Raw], inline: dict[str, Raw], words: str) -> None:
    """Inline marks fill options left empty; the same thing given twice is an error."""
    raw[words] = inline.get(words, "")
    for name, value in inline.items():
        if name == words or value in (None, (), ""):
            continue
        given = raw.get(name)
        if isinstance(value, tuple):
            raw[name] = (given if isinstance(given, tuple) else ()) + value  # tags add up
        elif given not in (None, False, ""):
            raise UsageError(f"Give the {name.replace('_', ' ')} once: as an option or in the "
                             "description, not both.")
        else:
            raw[name] = value
