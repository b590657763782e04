"""The `togglbot` command as a newcomer and an admin use it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.crypto import TokenCipher


def togglbot(*args: str, stdin: str = "", env: dict[str, str] | None = None,
             cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKEN_", "DATABASE_"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=60, env=full_env, cwd=cwd,
        check=False,
    )


def test_demo_works_end_to_end_from_piped_input(tmp_path: Path) -> None:
    result = togglbot(
        "demo",
        stdin="start Fix the header @web #deep-work\ncurrent\nstop\nsummary week\nquota\nquit\n",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Started “Fix the header”" in out
    assert "Website · Acme" in out
    assert "Stopped “Fix the header”" in out
    assert "This week" in out
    assert "left this hour" in out
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # the demo leaves nothing behind


def test_missing_key_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    result = togglbot("keys", "rotate", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert result.returncode == 2
    assert "TOKEN_ENCRYPTION_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_key_is_refused_without_echoing_it(tmp_path: Path) -> None:
    result = togglbot(
        "keys", "rotate",
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "TOKEN_ENCRYPTION_KEY": "not-a-key"},
    )
    assert result.returncode == 2
    assert "not-a-key" not in result.stderr and "Traceback" not in result.stderr


def test_db_upgrade_then_rotate_keys(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
        "TOKEN_ENCRYPTION_KEY": f"{TokenCipher.generate_key()},{TokenCipher.generate_key()}",
    }
    upgraded = togglbot("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    rotated = togglbot("keys", "rotate", env=env)
    assert rotated.returncode == 0, rotated.stderr
    assert "re-encrypted 0 token(s) and installation(s)" in rotated.stdout


def test_version_is_the_installed_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"togglbot {version('togglbot')}\n"


def test_keys_generate_prints_a_usable_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "generate"]) == 0
    key = capsys.readouterr().out.strip()
    TokenCipher.from_setting(key)


def test_worker_refuses_a_database_that_is_not_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.db")
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", TokenCipher.generate_key())
    assert main(["worker"]) == 2
    assert "togglbot db upgrade" in capsys.readouterr().err


async def test_forget_removes_a_person_entirely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pydantic import SecretStr

    from bot import migrate
    from bot.digest.model import Channel, Schedule
    from bot.domain import Account, UserKey
    from bot.store.accounts import SqlAccountStore
    from bot.store.digests import SqlDigestStore
    from bot.store.engine import create_engine_for

    url = f"sqlite:///{tmp_path}/bot.db"
    key = TokenCipher.generate_key()
    migrate.upgrade(url)
    engine = create_engine_for(url)
    store = SqlAccountStore(engine, TokenCipher.from_setting(key))
    person = UserKey("slack", "T1", "U1")
    await store.save_account(Account(person, SecretStr("t" * 32), 1, 2, "UTC"), create=True)
    digests = SqlDigestStore(engine)
    channel = Channel("slack", "T1", "C1")
    await digests.subscribe(channel, Schedule(time(18), "UTC"), set_up_by="U1")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", key)
    await asyncio.to_thread(main, ["forget", "slack", "T1", "U1"])
    assert await store.get_account(person) is None
    digest = await digests.find(channel)
    assert digest is not None and digest.set_up_by == ""  # not even who set it up
    assert await asyncio.to_thread(main, ["forget", "slack", "T1", "U1"]) == 1
    await engine.dispose()


def test_run_with_nothing_configured_says_what_to_set(tmp_path: Path) -> None:
    result = togglbot("run", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "togglbot demo" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("process", ["web", "worker"])
def test_long_running_processes_refuse_an_unmigrated_database(
    process: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
           "TOKEN_ENCRYPTION_KEY": TokenCipher.generate_key()}
    result = togglbot(process, env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "togglbot db upgrade" in result.stderr and "Traceback" not in result.stderr
