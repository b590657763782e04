"""Rows 1, 2 and 5: requests and wall time per operation, and commands in a Free-plan hour.

Systems run one after another against the same served fake; the fake's own request log
(``reset_log`` / ``count``) is the only source of request counts, for togglbot and peers
alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.systems import OPS, System, Unsupported
from bot.emulator import TogglEmulator

MakeSystem = Callable[[str], System]  # token -> a system bound to it

# Issue #11's mix for one person: start, stop, current, continue, summary.
FREE_PLAN_MIX = ("start", "current", "stop", "continue", "current", "stop", "summary today")


@dataclass
class OpStats:
    requests: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    unsupported: str | None = None


@dataclass
class OpsRun:
    name: str
    how: str
    notes: tuple[str, ...] = ()
    ops: dict[str, OpStats] = field(default_factory=dict)


@dataclass
class QuotaRun:
    name: str
    limit: int
    succeeded: int = 0
    attempted: int = 0
    requests_used: int = 0
    stopped_by: str = "command cap reached"


def _http_errors(fake: TogglEmulator) -> list[str]:
    return [
        f"HTTP {r.status} on {r.method} {r.path}"
        for r in list(fake.requests)
        if r.status is None or r.status >= 400
    ]


def measure_ops(fake: TogglEmulator, system: System, runs: int) -> OpsRun:
    """``runs`` sessions of login + every operation, in order, one at a time.

    One more session runs first as a warm-up (first imports, connections) and is not kept.
    """
    result = OpsRun(system.name, system.how, tuple(getattr(system, "notes", ())))
    stats = {op: OpStats() for op in OPS}
    result.ops = stats
    for run in range(runs + 1):
        for op in OPS:
            s = stats[op] if run else OpStats()
            if s.unsupported is not None:
                continue
            fake.reset_log()
            started = time.perf_counter()
            try:
                ok = system.run(op, run)
                problem = "" if ok else "reported failure"
            except Unsupported as exc:
                s.unsupported = str(exc)
                continue
            except Exception as exc:
                problem = f"{type(exc).__name__}: {str(exc)[:120]}"
            s.seconds.append(time.perf_counter() - started)
            s.requests.append(fake.count())
            if problem:
                s.failures.append(problem)
            s.http_errors.extend(_http_errors(fake))
    return result


def free_plan_hour(
    fake: TogglEmulator, system: System, limit: int = 30, cap: int | None = None
) -> QuotaRun:
    """Log in, then give the user a fresh ``limit``-request hour and run the mix until a no.

    A command counts as a success when it worked and Toggl answered no request with 402.
    The first failure ends the hour: a 402 from Toggl, or (togglbot) a refusal that made
    no request because its own quota ledger says 0 are left.
    """
    result = QuotaRun(system.name, limit)
    system.run("login", 0)
    fake.set_quota(limit)
    try:
        for i in range(cap or 3 * limit):
            op = FREE_PLAN_MIX[i % len(FREE_PLAN_MIX)]
            fake.reset_log()
            result.attempted += 1
            try:
                ok, error = system.run(op, 1000 + i), ""
            except Exception as exc:
                ok, error = False, f"{type(exc).__name__}"
            answered = [r.status for r in list(fake.requests)]
            result.requests_used += sum(1 for s in answered if s is not None and s < 300)
            if ok and 402 not in answered:
                result.succeeded += 1
                continue
            if 402 in answered:
                result.stopped_by = f"Toggl answered 402 (during {op!r})"
            elif not answered:
                result.stopped_by = f"refused by its own quota ledger, no request ({op!r})"
            else:
                result.stopped_by = f"{op!r} failed: {error or 'error reply'}"
            break
    finally:
        fake.set_quota(None)
    return result
