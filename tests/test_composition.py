"""Issue 14 item 5: one composition root. Only bot/app.py builds stores, engines, the Toggl
client and the core; every process (web, discord, worker, run, console, demo) asks it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILT_ONLY_BY_THE_ROOT = {
    "SqlAccountStore", "SqlDigestStore", "SqlInstallationStore", "SqlRunLedger",
    "TogglClient", "Transport", "Core", "opened_engine", "create_engine_for",
    "SqlSeenRequests", "open_seen_requests",
}
# Where these are defined, and the root itself (plus the worker's run ledger, which lives
# on the root's engine).
ALLOWED = {"bot/app.py", "adapters/worker.py:SqlRunLedger"}
SKIPPED = ("bot/store/", "bot/toggl/", "bot/testing/", "bot/crypto.py", "bot/core.py")


def calls(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            names.add(name)
    return names & BUILT_ONLY_BY_THE_ROOT


def test_only_the_composition_root_builds_the_parts() -> None:
    offenders = []
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("adapters/**/*.py")]:
        rel = path.relative_to(ROOT).as_posix()
        if rel in ALLOWED or rel.startswith(SKIPPED):
            continue
        offenders += [f"{rel}: {name}" for name in calls(path)
                      if f"{rel}:{name}" not in ALLOWED]
    assert offenders == []


async def test_a_serving_process_freezes_what_start_up_built(tmp_path: Path) -> None:
    # Issue 20: full collections walked every start-up object and paused the loop ~100 ms.
    import gc

    from bot.app import open_app
    from bot.config import Settings
    from bot.crypto import TokenCipher

    settings = Settings(_env_file=None, DATABASE_URL=f"sqlite:///{tmp_path / 'db'}",
                        TOKEN_ENCRYPTION_KEY=TokenCipher.generate_key())  # type: ignore[arg-type]
    gc.unfreeze()
    try:
        async with open_app(settings) as _:
            assert gc.get_freeze_count() == 0
        async with open_app(settings, serving=True) as _:
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
