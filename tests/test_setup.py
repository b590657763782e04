"""First run as an operator does it: `togglbot init`, private files, nothing half-created."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.crypto import TokenCipher
from tests.test_cli import togglbot


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class TestInit:
    def test_writes_a_private_env_with_a_working_key(self, tmp_path: Path) -> None:
        result = togglbot("init", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        env = tmp_path / ".env"
        assert mode(env) == 0o600
        values = dict(line.split("=", 1) for line in env.read_text().splitlines())
        TokenCipher.from_setting(values["TOKEN_ENCRYPTION_KEY"])
        assert values["DATABASE_URL"] == "sqlite:///togglbot.db"
        assert values["TOKEN_ENCRYPTION_KEY"] not in result.stdout + result.stderr

    def test_never_replaces_a_key(self, tmp_path: Path) -> None:
        assert togglbot("init", cwd=tmp_path).returncode == 0
        before = (tmp_path / ".env").read_text()
        again = togglbot("init", cwd=tmp_path)
        assert again.returncode == 2 and "already has a TOKEN_ENCRYPTION_KEY" in again.stderr
        assert (tmp_path / ".env").read_text() == before

    def test_completes_an_env_without_a_key(self, tmp_path: Path) -> None:
        (tmp_path / ".env").write_text("DISCORD_TOKEN=abc")
        assert togglbot("init", cwd=tmp_path).returncode == 0
        text = (tmp_path / ".env").read_text()
        assert text.startswith("DISCORD_TOKEN=abc\nTOKEN_ENCRYPTION_KEY=")
        assert mode(tmp_path / ".env") == 0o600

    async def test_every_later_command_in_the_folder_uses_the_same_key(
        self, tmp_path: Path
    ) -> None:
        """The README's first-run path: init, upgrade, a token stored, then another shell."""
        from pydantic import SecretStr

        from bot.domain import Account, UserKey
        from bot.store.accounts import SqlAccountStore
        from bot.store.engine import opened_engine

        assert togglbot("init", cwd=tmp_path).returncode == 0
        assert togglbot("db", "upgrade", cwd=tmp_path).returncode == 0
        key = (tmp_path / ".env").read_text().split("TOKEN_ENCRYPTION_KEY=")[1].split()[0]
        async with opened_engine(f"sqlite:///{tmp_path}/togglbot.db") as engine:
            await SqlAccountStore(engine, TokenCipher.from_setting(key)).save_account(
                Account(UserKey("console", "console", "me"), SecretStr("t" * 32), 1, 2, "UTC"),
                create=True,
            )
        rotated = togglbot("keys", "rotate", cwd=tmp_path)  # reads the token: same key
        assert rotated.returncode == 0, rotated.stderr
        assert "re-encrypted 1 token(s)" in rotated.stdout


class TestPrivateDatabase:
    def test_upgrade_creates_the_sqlite_file_owner_only(self, tmp_path: Path) -> None:
        env = {"DATABASE_URL": f"sqlite:///{tmp_path}/bot.db"}
        assert togglbot("db", "upgrade", env=env).returncode == 0
        assert mode(tmp_path / "bot.db") == 0o600

    async def test_wal_and_shm_are_owner_only_too(self, tmp_path: Path) -> None:
        from bot.migrate import upgrade
        from bot.store.engine import opened_engine

        url = f"sqlite:///{tmp_path}/bot.db"
        upgrade(url)
        async with opened_engine(url) as engine, engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE probe (x INTEGER)")  # a write: WAL
            files = {name: mode(tmp_path / name) for name in os.listdir(tmp_path)}
        assert files.get("bot.db-wal") == 0o600 and files.get("bot.db-shm") == 0o600, files
        assert files["bot.db"] == 0o600

    def test_an_existing_world_readable_database_is_tightened(self, tmp_path: Path) -> None:
        db = tmp_path / "bot.db"
        env = {"DATABASE_URL": f"sqlite:///{db}"}
        assert togglbot("db", "upgrade", env=env).returncode == 0
        db.chmod(0o644)
        assert togglbot("db", "upgrade", env=env).returncode == 0
        assert mode(db) == 0o600


KEY = {"TOKEN_ENCRYPTION_KEY": TokenCipher.generate_key()}


class TestNothingIsCreatedBeforeConfigurationIsValid:
    @pytest.mark.parametrize("argv", [
        ["console"], ["run"], ["web"], ["worker"], ["discord"], ["forget", "slack", "T", "U"],
        ["keys", "rotate"],
    ])
    def test_a_missing_key(self, tmp_path: Path, argv: list[str]) -> None:
        env = {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", "DISCORD_TOKEN": "d"}
        result = togglbot(*argv, env=env, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "TOKEN_ENCRYPTION_KEY" in result.stderr and "Traceback" not in result.stderr
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("argv", [
        ["web"], ["worker"], ["discord"], ["forget", "slack", "T", "U"], ["keys", "rotate"],
    ])
    def test_an_unmigrated_database(self, tmp_path: Path, argv: list[str]) -> None:
        env = {"DISCORD_TOKEN": "d", "SLACK_BOT_TOKEN": "xoxb-x", **KEY}
        result = togglbot(*argv, env=env, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "togglbot db upgrade" in result.stderr and "Traceback" not in result.stderr
        assert list(tmp_path.iterdir()) == []
