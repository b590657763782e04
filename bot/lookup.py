"""Resolve what people type (``@web``) to one named thing, or say clearly why not."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.errors import LookupFailed

T = TypeVar("T")
MAX_LISTED = 8


def match(query: str, items: Sequence[T], name: Callable[[T], str], kind: str) -> T:
    """Exact name (any case) wins; else a unique prefix; else a LookupFailed naming candidates."""
    wanted = query.casefold().strip()
    exact = [i for i in items if name(i).casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    prefixed = exact or [i for i in items if name(i).casefold().startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        names = tuple(sorted(name(i) for i in prefixed))
        raise LookupFailed(
            f"`{query}` matches more than one {kind}: {_listing(names)}. Type more of the name.",
            names,
        )
    names = tuple(sorted(name(i) for i in items))
    close = difflib.get_close_matches(query, names, n=3, cutoff=0.5)
    if close:
        hint = f" Did you mean {_listing(tuple(close))}?"
    elif names:
        hint = f" Yours: {_listing(names)}."
    else:
        hint = ""
    raise LookupFailed(f"No {kind} called `{query}`.{hint}", tuple(close or names))


def _listing(names: tuple[str, ...]) -> str:
    shown = ", ".join(names[:MAX_LISTED])
    more = len(names) - MAX_LISTED
    return f"{shown} and {more} more" if more > 0 else shown
