"""`python -m benchmarks`: run every measure, print the table, write the JSON."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from benchmarks import guard
from benchmarks.databases import postgres_database, postgres_host, sqlite_database
from benchmarks.digest_fanout import fan_out, fanout_args
from benchmarks.fixtures import seed_user
from benchmarks.load import core_overhead, throughput
from benchmarks.peers import TogglCliSystem, WrapperSystem
from benchmarks.report import Results, render, write_json
from benchmarks.scenarios import FREE_PLAN_MIX, free_plan_hour, measure_ops
from benchmarks.systems import PeerUnavailable, System, TogglbotSystem
from benchmarks.web_load import IDLE_S, web_throughput
from benchmarks.year import year_cost
from bot.emulator import TogglEmulator, serve

DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "latest.json"
PEER_PACKAGES = ("toggl-api-wrapper", "togglcli")

# name -> (base URL, token, work folder) -> system
Factory = Callable[[str, str, Path], System]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="sessions per system (20)")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="fake Toggl latency")
    parser.add_argument("--users", type=int, default=200, help="throughput: simulated users")
    parser.add_argument("--total", type=int, default=2000, help="throughput: commands in all")
    parser.add_argument("--quota-limit", type=int, default=30, help="Free plan requests/hour")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL"),
        metavar="URL",
        help="also measure on PostgreSQL (a temp database is created and dropped; "
        "default: $TEST_DATABASE_URL)",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH")
    parser.add_argument("--digests", type=int, default=1000, metavar="N",
                        help="row 6: daily digests of 10 members each (1000; 0 skips)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument(
        "--no-web",
        action="store_true",
        help="skip row 4b (the Slack web process over HTTP, and its memory)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = min(args.runs, 2)
        args.users, args.total = min(args.users, 20), min(args.total, 80)
        args.digests = min(args.digests, 20)
    if args.runs < 1 or args.users < 1 or args.total < 1 or args.quota_limit < 1:
        parser.error("--runs, --users, --total and --quota-limit must be at least 1")
    return args


def machine() -> dict[str, object]:
    versions = {}
    for package in PEER_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "peers": versions,
    }


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _systems() -> dict[str, Factory]:
    def togglbot(base: str, token: str, folder: Path) -> System:
        return TogglbotSystem(base, token, sqlite_database(folder, f"togglbot-{token}"))

    return {
        "togglbot": togglbot,
        "toggl-api-wrapper": lambda base, token, folder: WrapperSystem(base, token, folder),
        "togglcli": lambda base, token, folder: TogglCliSystem(base, token, folder),
    }


def _per_system(args: argparse.Namespace, work: Path, results: Results) -> None:
    """Rows 1, 2 and 5 against one served fake, one system at a time."""
    fake = TogglEmulator(latency=args.latency_ms / 1000)
    with serve(fake) as base:
        for name, make in _systems().items():
            try:
                _say(f"{name}: requests and wall time, {args.runs} sessions")
                token = f"ops-{name}"
                seed_user(fake, token)
                system = make(base, token, work / f"{name}-ops")
            except PeerUnavailable as exc:
                results.unavailable[name] = str(exc)
                continue
            try:
                results.ops[name] = measure_ops(fake, system, args.runs)
            finally:
                system.close()
            _say(f"{name}: Free-plan hour ({args.quota_limit} requests)")
            token = f"quota-{name}"
            seed_user(fake, token)
            system = make(base, token, work / f"{name}-quota")
            try:
                results.quota[name] = free_plan_hour(fake, system, args.quota_limit)
            finally:
                system.close()
        if "toggl-api-wrapper" not in results.unavailable:
            _say("toggl-api-wrapper without a cache: requests only")
            seed_user(fake, "ops-wrapper-nocache")
            plain = WrapperSystem(base, "ops-wrapper-nocache", work / "nocache", cache=False)
            try:
                results.variants.append(measure_ops(fake, plain, min(args.runs, 3)))
            finally:
                plain.close()
        if "togglcli" not in results.unavailable:
            _say("togglcli with default_wid in its config: requests only")
            seed_user(fake, "ops-togglcli-wid")
            wid = TogglCliSystem(base, "ops-togglcli-wid", work / "wid", default_wid=True)
            try:
                results.variants.append(measure_ops(fake, wid, min(args.runs, 3)))
            finally:
                wid.close()


def _togglbot_only(args: argparse.Namespace, work: Path, results: Results) -> None:
    """Rows 3 and 4 (togglbot alone): SQLite, then PostgreSQL when a server was given."""
    overhead_runs = max(5 * args.runs, 5)
    latency = args.latency_ms / 1000
    _say(f"core overhead on SQLite, {overhead_runs} sessions")
    results.overhead.append(
        asyncio.run(core_overhead(sqlite_database(work, "overhead"), "SQLite", overhead_runs))
    )
    _say(f"throughput on SQLite: {args.users} users, {args.total} commands")
    results.throughput.append(
        throughput(sqlite_database(work, "load"), "SQLite", args.users, args.total, latency)
    )
    if not args.postgres:
        return
    _say(f"core overhead on PostgreSQL, {overhead_runs} sessions")
    with postgres_database(args.postgres) as url:
        results.overhead.append(asyncio.run(core_overhead(url, "PostgreSQL", overhead_runs)))
    _say(f"throughput on PostgreSQL: {args.users} users, {args.total} commands")
    with postgres_database(args.postgres) as url:
        results.throughput.append(throughput(url, "PostgreSQL", args.users, args.total, latency))


def _web(args: argparse.Namespace, work: Path, results: Results) -> None:
    """Row 4b: the Slack web process in its own OS process, over HTTP, and its RSS."""
    if args.no_web:
        results.web_skipped = "--no-web"
        return
    _say(f"Slack web process: {args.users} users, {args.total} signed slash commands")
    try:
        results.web = web_throughput(
            work / "web", args.users, args.total, args.latency_ms / 1000,
            idle=0.5 if args.quick else IDLE_S,
        )
    except Exception as exc:  # reported in the table and the exit code, not a traceback
        results.web_skipped = f"failed: {type(exc).__name__}: {exc}"
        return
    results.violations += [f"web process: {v}" for v in results.web.violations]


def _digests_and_year(args: argparse.Namespace, work: Path, results: Results) -> None:
    """Row 6: the digest fan-out (worker processes, charts on); row 7: a year of entries."""
    if args.digests > 0:
        _say(f"digest fan-out: {args.digests} channels x 10 members, charts on")
        results.digests = fan_out(fanout_args(args.digests))
    _say("a year of entries: summary and entries CPU")
    results.year = asyncio.run(year_cost(work / "year"))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    params = {
        "runs": args.runs,
        "latency_ms": args.latency_ms,
        "users": args.users,
        "total_commands": args.total,
        "quota_limit": args.quota_limit,
        "free_plan_mix": list(FREE_PLAN_MIX),
        "postgres": bool(args.postgres),
        "quick": args.quick,
        "web": not args.no_web,
        "digests": args.digests,
    }
    results = Results(params=params, machine=machine())
    for name in ("toggl-api-wrapper", "toggl"):  # they log every 402 they then raise
        logging.getLogger(name).setLevel(logging.CRITICAL)
    pg_host = postgres_host(args.postgres) if args.postgres else None
    allowed = frozenset({pg_host} if pg_host else ())
    guard.violations.clear()
    with tempfile.TemporaryDirectory(prefix="togglbot-bench-") as tmp:
        work = Path(tmp)
        with guard.isolated_env(work / "home"), guard.loopback_only(allowed):
            _per_system(args, work, results)
            _togglbot_only(args, work, results)
            _web(args, work, results)
            _digests_and_year(args, work, results)
    results.violations = list(guard.violations) + results.violations
    print(render(results))
    write_json(results, args.json)
    _say(f"JSON written to {args.json}")
    if results.violations:
        _say("FAILED: something tried to leave 127.0.0.1 (see NETWORK GUARD lines)")
        return 1
    if results.web_skipped.startswith("failed"):
        _say(f"FAILED: the Slack web process row: {results.web_skipped}")
        return 1
    return 0
