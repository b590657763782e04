"""Confirmation tokens for destructive buttons ("Delete"), bound to one person and a deadline.

A token is ``<workspace>.<expiry>.<signature>``: an HMAC over the requesting person, the
thing to delete and the expiry, under a server secret. Whoever clicks the button runs the
command as themselves, so another person's click (or a late one) fails the check here,
before any Toggl call. The secret is derived from ``TOKEN_ENCRYPTION_KEY`` so every process
agrees; without one (tests, the demo) a random per-process secret is used, and
confirmations then don't survive a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from pydantic import SecretStr

from bot.domain import UserKey
from bot.errors import TogglbotError

CONFIRM_FOR = timedelta(minutes=10)
_PURPOSE = b"togglbot delete confirmations v1"


def secret_from(key_material: SecretStr | None) -> bytes:
    """A confirmation secret derived from the encryption key(s); random if there are none."""
    if key_material is None or not key_material.get_secret_value().strip():
        return secrets.token_bytes(32)
    newest = key_material.get_secret_value().split(",")[0].strip().encode()
    return hmac.new(newest, _PURPOSE, hashlib.sha256).digest()


class ConfirmationRefused(TogglbotError):
    pass


def issue(secret: bytes, key: UserKey, subject: str, workspace_id: int, now: datetime) -> str:
    """A token for ``subject`` (e.g. ``entry:123``) in ``workspace_id``, valid 10 minutes."""
    expires = int((now + CONFIRM_FOR).timestamp())
    return f"{workspace_id}.{expires}.{_sign(secret, key, subject, workspace_id, expires)}"


def check(secret: bytes, key: UserKey, subject: str, token: str, now: datetime) -> int:
    """The workspace the confirmed ``subject`` lives in; refuses a foreign, forged or old token."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ConfirmationRefused("That confirmation isn't valid. Run the command again.")
    workspace_id, expires = int(parts[0]), int(parts[1])
    expected = _sign(secret, key, subject, workspace_id, expires)
    if not hmac.compare_digest(expected, parts[2]):
        # Same words whether it was someone else's button or a forgery: nothing leaks.
        raise ConfirmationRefused(
            "That confirmation belongs to someone else's request. Run the command yourself."
        )
    if now.timestamp() > expires:
        raise ConfirmationRefused("That confirmation has expired. Run the command again.")
    return workspace_id


def _sign(secret: bytes, key: UserKey, subject: str, workspace_id: int, expires: int) -> str:
    message = f"{key}|{subject}|{workspace_id}|{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]
