"""The grammar: commands as people type them on each platform, declared once.

``bot.commands`` declares every command; ``params`` holds the parameter kinds and their
validators; ``text`` reads typed text; ``syntax`` writes usage, examples and mentions in
each platform's words; ``periods``, ``clock`` and ``tokens`` read the small pieces.
"""

from __future__ import annotations

from bot import commands as _commands  # noqa: F401  (declares every command)
from bot.grammar.declare import DECLARATIONS, Declaration, declaration, find
from bot.grammar.params import clean
from bot.grammar.text import MAX_TEXT, parse

__all__ = ["DECLARATIONS", "MAX_TEXT", "Declaration", "clean", "declaration", "find", "parse"]
