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
