"""Toggl tokens encrypted at rest with Fernet; MultiFernet lets old keys retire gracefully.

``TOKEN_ENCRYPTION_KEY`` holds one or more Fernet keys, comma-separated, newest first.
New tokens are encrypted with the first key; any listed key can decrypt; ``rotate``
re-encrypts with the first. No message, repr or exception here ever contains a key or a
token.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

from bot.config import Settings
from bot.errors import ConfigError

_HOW_TO_GENERATE = (
    "Run `togglbot keys generate` to print a new key, then set TOKEN_ENCRYPTION_KEY to it "
    "(several keys: comma-separated, newest first)."
)


KEY_CHANGED = (
    "A stored Toggl token cannot be decrypted with any key in TOKEN_ENCRYPTION_KEY: the key "
    "changed. Put the old key back after the new one (comma-separated, newest first), run "
    "`togglbot keys rotate`, then drop the old key; or ask users to log in again."
)


class KeyMismatch(ConfigError):
    """A stored secret was encrypted with a key TOKEN_ENCRYPTION_KEY no longer lists."""


@dataclass(frozen=True, slots=True)
class Rotation:
    """What `keys rotate` did: rows moved to the newest key, and rows no key can read."""

    rotated: int = 0
    unreadable: tuple[str, ...] = ()  # "platform team user" (no secret in there)

    def __add__(self, other: Rotation) -> Rotation:
        return Rotation(self.rotated + other.rotated, self.unreadable + other.unreadable)


class TokenCipher:
    """Encrypts and decrypts Toggl API tokens with the configured Fernet keys."""

    __slots__ = ("_fernet", "_key_count")

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ConfigError("TOKEN_ENCRYPTION_KEY is not set. " + _HOW_TO_GENERATE)
        fernets: list[Fernet] = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key))
            except (ValueError, TypeError):
                # `from None`: the underlying error may quote the bad value, which is secret.
                raise ConfigError(
                    f"TOKEN_ENCRYPTION_KEY key #{position} is not a valid Fernet key "
                    "(it must be 32 url-safe base64-encoded bytes). " + _HOW_TO_GENERATE
                ) from None
        self._fernet = MultiFernet(fernets)
        self._key_count = len(fernets)

    @classmethod
    def from_setting(cls, value: str | SecretStr | None) -> TokenCipher:
        """Build a cipher from the TOKEN_ENCRYPTION_KEY setting (comma-separated, newest first)."""
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if raw is None or not raw.strip():
            raise ConfigError("TOKEN_ENCRYPTION_KEY is not set. " + _HOW_TO_GENERATE)
        parts = [part.strip() for part in raw.split(",")]
        if any(not part for part in parts):
            raise ConfigError(
                "TOKEN_ENCRYPTION_KEY has an empty entry between commas. " + _HOW_TO_GENERATE
            )
        return cls([part.encode("ascii", "replace") for part in parts])

    @staticmethod
    def generate_key() -> str:
        """A fresh random Fernet key, as text suitable for TOKEN_ENCRYPTION_KEY."""
        return Fernet.generate_key().decode("ascii")

    @property
    def key_count(self) -> int:
        return self._key_count

    def encrypt(self, token: SecretStr) -> bytes:
        """Encrypt with the newest key."""
        return self._fernet.encrypt(token.get_secret_value().encode("utf-8"))

    def decrypt(self, ciphertext: bytes) -> SecretStr:
        """Decrypt with whichever configured key fits."""
        try:
            plain = self._fernet.decrypt(bytes(ciphertext))
        except InvalidToken:
            raise KeyMismatch(KEY_CHANGED) from None
        return SecretStr(plain.decode("utf-8"))

    def rotate(self, ciphertext: bytes) -> bytes:
        """Re-encrypt a stored token with the newest key."""
        try:
            return self._fernet.rotate(bytes(ciphertext))
        except InvalidToken:
            raise KeyMismatch(KEY_CHANGED) from None

    def __repr__(self) -> str:
        return f"TokenCipher(keys={self._key_count})"

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would copy key material into wherever the pickle goes.
        raise TypeError("TokenCipher cannot be pickled")


def cipher_from(settings: Settings) -> TokenCipher:
    """The cipher for TOKEN_ENCRYPTION_KEY, or a ConfigError saying how to make a key."""
    key = settings.TOKEN_ENCRYPTION_KEY
    return TokenCipher.from_setting(key.get_secret_value() if key else None)
