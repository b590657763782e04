"""`togglbot init`: a ./.env that keeps the encryption key for every later command.

Every `togglbot` command reads ./.env (pydantic-settings), so a second terminal, a restart
or a new shell use the same key; a new key per shell would lock everyone out.
"""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import dotenv_values

from bot.crypto import TokenCipher
from bot.errors import ConfigError

ENV_FILE = Path(".env")
DEFAULT_DATABASE_URL = "sqlite:///togglbot.db"


def write_env(path: Path = ENV_FILE) -> str:
    """Create (or complete) ``path`` with TOKEN_ENCRYPTION_KEY and DATABASE_URL, mode 0600.

    Refuses when the file already holds a key: replacing it would make every stored token
    unreadable. Returns what was done, for the person.
    """
    existing = dotenv_values(path) if path.exists() else {}
    if existing.get("TOKEN_ENCRYPTION_KEY"):
        raise ConfigError(
            f"{path} already has a TOKEN_ENCRYPTION_KEY; keeping it (a new key would make "
            "every stored token unreadable). To rotate keys see README's Key rotation."
        )
    # A key already in the environment is the one in use: keep that one rather than a new one.
    kept = os.environ.get("TOKEN_ENCRYPTION_KEY")
    key = kept or TokenCipher.generate_key()
    TokenCipher.from_setting(key)  # refuse to write a key that does not work
    lines = [f"TOKEN_ENCRYPTION_KEY={key}"]
    if not existing.get("DATABASE_URL"):
        lines.append(f"DATABASE_URL={os.environ.get('DATABASE_URL') or DEFAULT_DATABASE_URL}")
    # Owner-only from the first byte: the key must never sit in a world-readable file.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as env:
        os.fchmod(env.fileno(), 0o600)
        if path.stat().st_size and not path.read_bytes().endswith(b"\n"):
            env.write("\n")
        env.write("\n".join(lines) + "\n")
    which = "the TOKEN_ENCRYPTION_KEY from your environment" if kept else "a new key"
    return (f"wrote {path} (mode 0600) with {which}. Every togglbot command run from this "
            "folder uses it; back it up, and never commit it.")
