"""What this process last read or wrote for each person, kept for the next command.

A command reads the person's row anyway (one SELECT); when the row's version, its
``updated_at`` and token ciphertext (a fresh random IV on every write), is the one we
remember, the decrypted account and the decoded catalogs are reused instead of decrypting
and parsing them again. Every write bumps the version, so another process's write is seen
at the next read: the memo is never trusted without that check.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain import Account, Catalog, UserKey

Version = tuple[datetime, bytes]  # (users.updated_at, users.token_ciphertext)
DEFAULT_SIZE = 1000  # people; least recently used are dropped (a catalog is a few KB)


@dataclass(slots=True)
class Remembered:
    version: Version
    account: Account  # never handed out: callers get a copy
    # Catalogs known to match ``version``, by workspace id; None: none stored.
    catalogs: dict[int, Catalog | None] = field(default_factory=dict)


class Memo:
    """A bounded LRU of ``Remembered`` by person."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._people: OrderedDict[UserKey, Remembered] = OrderedDict()

    def __len__(self) -> int:
        return len(self._people)

    def get(self, key: UserKey) -> Remembered | None:
        found = self._people.get(key)
        if found is not None:
            self._people.move_to_end(key)
        return found

    def put(self, key: UserKey, remembered: Remembered) -> None:
        if self.size <= 0:
            return
        self._people[key] = remembered
        self._people.move_to_end(key)
        while len(self._people) > self.size:
            self._people.popitem(last=False)

    def drop(self, key: UserKey) -> None:
        self._people.pop(key, None)

    def clear(self) -> None:
        self._people.clear()
