"""The Toggl emulator `togglbot demo` ships is named for what it is and split by job."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import bot.demo
from bot.emulator import TogglEmulator, seed_demo

JOBS = ("model", "state", "v9", "routes", "http", "seed")


def test_the_demo_runs_on_the_emulator() -> None:
    assert bot.demo.TogglEmulator is TogglEmulator
    assert bot.demo.seed_demo is seed_demo


def test_each_job_has_its_own_small_module() -> None:
    for job in JOBS:
        module = import_module(f"bot.emulator.{job}")
        assert module.__doc__, job
        assert len(Path(str(module.__file__)).read_text().splitlines()) < 450, job


def test_nothing_is_left_under_testing() -> None:
    testing = Path(bot.demo.__file__).parent / "testing"
    assert sorted(p.name for p in testing.glob("*.py")) == ["__init__.py", "clock.py"]
