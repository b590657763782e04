"""The `discord` process and `discord sync`: a clear message instead of a traceback."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import adapters.discord
from adapters.discord import run, sync
from bot.cli import main
from bot.config import Settings

ADAPTER = Path(adapters.discord.__file__).parent


@pytest.fixture
def no_discord_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)


class TestWithoutAToken:
    def test_run_exits_2_with_a_message(
        self, no_discord_token: None, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run(Settings(_env_file=None)) == 2  # type: ignore[call-arg]
        err = capsys.readouterr().err
        assert "DISCORD_TOKEN is not set" in err and "Traceback" not in err

    def test_a_blank_token_counts_as_missing(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert sync(Settings(_env_file=None, DISCORD_TOKEN="  ")) == 2  # type: ignore[call-arg]
        assert "DISCORD_TOKEN is not set" in capsys.readouterr().err

    @pytest.mark.parametrize("argv", [["discord"], ["discord", "sync", "--guild", "123"]])
    def test_through_the_cli(
        self, no_discord_token: None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str],
    ) -> None:
        monkeypatch.chdir(tmp_path)  # no .env from the checkout
        assert main(argv) == 2
        assert "DISCORD_TOKEN is not set" in capsys.readouterr().err


class TestBoundaries:
    def test_the_adapter_imports_no_database_or_toggl_client(self) -> None:
        forbidden = ("sqlalchemy", "httpx", "bot.store", "bot.toggl")
        for source in ADAPTER.glob("*.py"):
            tree = ast.parse(source.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    continue
                assert not [n for n in names if n.startswith(forbidden)], source.name

    def test_modules_stay_small(self) -> None:
        for source in ADAPTER.glob("*.py"):
            assert len(source.read_text().splitlines()) < 250, source.name
