"""The person's chat status while a timer runs (opt-in): ":stopwatch: <description>".

The platform side is a ``StatusBoard`` (Slack: ``users.profile.set`` with the person's own
user token); the permission is a ``StatusLinks`` row (the token, encrypted). The core
calls ``sync`` once per command, after it saved what the command learned: the status
changes only when the running timer it knows of changed (started, stopped, or learned to
have stopped), so it costs no Toggl request and no Slack call on other commands.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import SecretStr

from bot.domain import TimeEntry, UserKey

log = logging.getLogger(__name__)

EMOJI = ":stopwatch:"
MAX_STATUS_TEXT = 100  # Slack's limit for status_text
# A status outlives no timer by much: if the bot never learns the timer stopped (stopped in
# Toggl's own app, nothing asked since), Slack clears it by itself after this long.
LASTS = timedelta(hours=8)


class StatusRefused(Exception):
    """The platform no longer accepts the person's token (revoked, app removed)."""


class StatusBoard(Protocol):
    """One platform's status: where people grant it, and setting and clearing it."""

    def authorize_url(self, key: UserKey) -> str | None:
        """Where ``key`` grants the permission; None when this install can't ask for it."""
        ...

    async def show(self, token: SecretStr, text: str, emoji: str, until: datetime) -> None: ...

    async def clear(self, token: SecretStr) -> None: ...

    async def revoke(self, token: SecretStr) -> None:
        """Give the token back (best effort: it may be revoked already)."""
        ...


class StatusLinks(Protocol):
    """Who allowed their status to be set, with the token that may; short transactions."""

    async def get(self, key: UserKey) -> SecretStr | None: ...

    async def save(self, key: UserKey, token: SecretStr) -> None: ...

    async def delete(self, key: UserKey) -> bool: ...


def status_text(entry: TimeEntry) -> str:
    text = " ".join(entry.description.split()) or "Tracking time"
    return text if len(text) <= MAX_STATUS_TEXT else text[: MAX_STATUS_TEXT - 1] + "…"


def changed(before: TimeEntry | None, after: TimeEntry | None) -> bool:
    """Whether the status should change: another timer, a new description, or none."""
    if before is None or after is None:
        return before is not after
    return (before.id, before.description) != (after.id, after.description)


async def sync(
    board: StatusBoard, links: StatusLinks, key: UserKey, running: TimeEntry | None,
    now: datetime,
) -> None:
    """Show ``running`` in the person's status, or clear it; never fails the command."""
    token = await links.get(key)
    if token is None:
        return
    try:
        if running is None:
            await board.clear(token)
        else:
            await board.show(token, status_text(running), EMOJI, now + LASTS)
    except StatusRefused:
        # They revoked it in Slack (or removed the app): forget the dead token.
        await links.delete(key)
        log.info("status token of %s no longer accepted; link deleted", key)
    except Exception as exc:  # a status is a courtesy: the command already succeeded
        log.warning("could not update the status of %s (%s)", key, type(exc).__name__)


async def unlink(board: StatusBoard | None, links: StatusLinks, key: UserKey) -> bool:
    """Clear the status, give the token back and delete it; False when there was none."""
    token = await links.get(key)
    if token is None:
        return False
    if board is not None:
        for step in (board.clear, board.revoke):
            try:
                await step(token)
            except Exception as exc:  # revoked already, or Slack unreachable: delete anyway
                log.info("status %s for %s failed (%s)", step.__name__, key, type(exc).__name__)
    await links.delete(key)
    return True
