"""Splitting what people type into words, keeping "quoted runs" (also after @, #, -# or $)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_TOKEN = re.compile(r'(?P<prefix>(?:-#|[@#$])?)"(?P<quoted>[^"]*)"|(?P<word>\S+)')


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    quoted: bool = False


def tokenize(text: str) -> list[Token]:
    """Split on spaces, keeping "double quoted" runs (also after @, #, -# or $) as one token."""
    tokens = []
    for m in _TOKEN.finditer(text.translate(_QUOTES)):
        if m.group("word") is not None:
            tokens.append(Token(m.group("word")))
        else:
            tokens.append(Token(m.group("prefix") + m.group("quoted"), quoted=not m["prefix"]))
    return tokens
