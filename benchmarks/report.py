"""The results: one Markdown table (stdout and README) and the raw numbers as JSON."""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.load import Overhead, Throughput
from benchmarks.scenarios import OpsRun, QuotaRun
from benchmarks.systems import OPS
from benchmarks.web_load import WEB_MIX, WebLoad
from benchmarks.web_load import summary as web_summary
from benchmarks.year import ENTRIES_GOAL_MS, YearCost

COLUMNS = ("togglbot", "toggl-api-wrapper", "togglcli")
NOT_MEASURED = "not measured ({why})"
ACK_TARGET_MS, RSS_TARGET_MB = 100, 120  # issue #9, items 4b and 5


@dataclass
class Results:
    params: dict[str, Any]
    machine: dict[str, Any]
    ops: dict[str, OpsRun] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    variants: list[OpsRun] = field(default_factory=list)  # requests-only extra runs
    overhead: list[Overhead] = field(default_factory=list)
    throughput: list[Throughput] = field(default_factory=list)
    quota: dict[str, QuotaRun] = field(default_factory=dict)
    web: WebLoad | None = None
    web_skipped: str = ""  # why row 4b has no numbers ("--no-web", "failed: ...")
    digests: dict[str, Any] | None = None  # row 6, benchmarks.digest_fanout.fan_out
    year: YearCost | None = None  # row 7
    violations: list[str] = field(default_factory=list)


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _requests_cell(run: OpsRun, op: str) -> tuple[str, float | None]:
    s = run.ops[op]
    if s.unsupported is not None:
        return f"n/a ({s.unsupported})", None
    if not s.requests:
        return "no data", None
    low, high, mid = min(s.requests), max(s.requests), statistics.median(s.requests)
    text = f"{mid:g}" if low == high else f"{mid:g} ({low}–{high})"
    return text + _failed(run, op), mid


def _time_cell(run: OpsRun, op: str) -> tuple[str, float | None]:
    s = run.ops[op]
    if s.unsupported is not None:
        return "n/a", None
    if not s.seconds:
        return "no data", None
    return f"{ms(p50(s.seconds))} / {ms(p99(s.seconds))}" + _failed(run, op), p50(s.seconds)


def _failed(run: OpsRun, op: str) -> str:
    s = run.ops[op]
    if s.failures:
        return f" ⚠{len(s.failures)} failed"
    return " ⚠HTTP errors" if s.http_errors else ""


def _ratio(ours: float | None, peers: list[float | None], lower_is_better: bool = True) -> str:
    known = [p for p in peers if p is not None]
    if ours is None or not known or ours == 0:
        return "—"
    best = min(known) if lower_is_better else max(known)
    if best == 0:
        return "—"
    return f"{(best / ours) if lower_is_better else (ours / best):.1f}×"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _system_rows(results: Results, title: str, cell: Any) -> list[str]:
    lines = [_row([f"**{title}**", "", "", "", ""])]
    for op in OPS:
        values: list[float | None] = []
        texts: list[str] = []
        for name in COLUMNS:
            if name in results.unavailable:
                texts.append("unavailable")
                values.append(None)
                continue
            text, value = cell(results.ops[name], op)
            texts.append(text)
            values.append(value)
        lines.append(_row([op, *texts, _ratio(values[0], values[1:])]))
    return lines


def _web_rows(results: Results) -> list[str]:
    """Row 4b: the Slack web process (its own OS process) over HTTP, and its RSS."""
    title = (
        "**4b. Slack `web` process over HTTP** (own OS process, signed slash commands, "
        "SQLite; #9 items 4b and 5)"
    )
    lines = [_row([title, "", "", "", ""])]
    w = results.web
    if w is None:
        why = results.web_skipped or "not run"
        return [*lines, _row(["throughput, ack latency, RSS", NOT_MEASURED.format(why=why),
                              "—", "—", ""])]
    met = "✓" if w.ack_seconds and p99(w.ack_seconds) * 1000 < ACK_TARGET_MS else "✗"
    inside = (
        f"; inside the process {ms(p50(w.server_ack_seconds))} / "
        f"{ms(p99(w.server_ack_seconds))}" if w.server_ack_seconds else ""
    )
    ack = (
        f"{ms(p50(w.ack_seconds))} / {ms(p99(w.ack_seconds))} {met}{inside}"
        if w.ack_seconds else "no data"
    )
    issues = "".join(
        f", ⚠{n} {what}" for n, what in ((w.refused, "refused"), (w.failed, "failed")) if n
    )
    follow = (
        f"follow-up p50 {ms(p50(w.answer_seconds))} / p99 {ms(p99(w.answer_seconds))} ms"
        if w.answer_seconds else "no follow-ups"
    )
    rate = (
        f"{w.per_second:.0f} ({w.answered} of {w.commands} cmds in {w.elapsed:.1f} s; "
        f"{follow}; {w.toggl_requests / max(w.answered, 1):.2f} req/cmd{issues})"
    )
    rss_met = "✓" if max(w.rss_idle_mb, w.rss_peak_mb) < RSS_TARGET_MB else "✗"
    rss = f"{w.rss_idle_mb:.0f} / {w.rss_peak_mb:.0f} {rss_met}"
    lat = results.params["latency_ms"]
    return [
        *lines,
        _row([f"ack ms p50 / p99, {w.users} users, {lat:g} ms Toggl (target p99 < "
              f"{ACK_TARGET_MS})", ack, "—", "—", ""]),
        _row(["commands/s end to end (signed POST → follow-up on response_url)", rate,
              "—", "—", ""]),
        _row(["CPU ms per command in the web process (login excluded; goal ≈ 2)",
              f"{w.web_cpu_seconds * 1000 / max(w.commands, 1):.1f}", "—", "—", ""]),
        _row([f"RSS MB, idle / peak under load (target < {RSS_TARGET_MB})", rss,
              "—", "—", ""]),
    ]


ROUND_TRIP_GOALS = {"current": 4, "start": 5, "stop": 5}  # issue 20 item 3


def _round_trip_rows(results: Results) -> list[str]:
    measured = [o for o in results.overhead if o.round_trips]
    if not measured:
        return []
    lines = [_row(["**3b. Database round trips per command** (PostgreSQL, libpq trace; "
                   "median, max)", "", "", "", ""])]
    for o in measured:
        for op in OPS:
            counts = o.round_trips.get(op)
            if not counts:
                continue
            goal = ROUND_TRIP_GOALS.get(op)
            mark = "" if goal is None else (" ✓" if max(counts) <= goal else f" ✗ (goal ≤ {goal})")
            lines.append(_row([f"{op} ({o.backend})",
                               f"{statistics.median(counts):g}, {max(counts)}{mark}",
                               "—", "—", ""]))
    return lines


DIGEST_GOAL_S = 45.0  # issue 20 item 6, for 1,000 channels x 10 members


def _digest_and_year_rows(results: Results) -> list[str]:
    lines = []
    d = results.digests
    if d is not None:
        goal = DIGEST_GOAL_S * d["channels"] / 1000
        met = "✓" if d["ok"] and d["elapsed"] <= goal else "✗"
        lines += [
            _row([f"**6. Daily digests** ({d['channels']} channels × {d['members']} members, "
                  f"{d['workers']} worker processes, charts on, 50 ms Toggl)", "", "", "", ""]),
            _row([f"seconds until every digest is posted (goal ≤ {goal:g})",
                  f"{d['elapsed']:.1f} {met}" + ("" if d["ok"] else " (checks FAILED)"),
                  "—", "—", ""]),
        ]
    y = results.year
    if y is not None:
        met = "✓" if y.median("entries") <= ENTRIES_GOAL_MS else "✗"
        lines += [
            _row([f"**7. A year of entries** ({y.entries} entries; CPU ms, median; the "
                  "in-process emulator's own CPU subtracted)", "", "", "", ""]),
            _row(["summary", f"{y.median('summary'):.1f}", "—", "—", ""]),
            _row([f"entries (goal ≤ {ENTRIES_GOAL_MS:g})", f"{y.median('entries'):.1f} {met}",
                  "—", "—", ""]),
        ]
    return lines


def table(results: Results) -> str:
    p = results.params
    lines = [
        _row(["measure", *COLUMNS, "ratio"]),
        _row(["---"] * 5),
        *_system_rows(
            results, f"1. Toggl requests per operation (median of {p['runs']})", _requests_cell
        ),
        *_system_rows(
            results,
            f"2. Wall time per operation, ms p50 / p99 (Toggl latency {p['latency_ms']:g} ms)",
            _time_cell,
        ),
        _row(["**3. Core overhead, ms p50 / p99** (in-process fake, 0 latency)", "", "", "", ""]),
    ]
    for o in results.overhead:
        for op in OPS:
            values = o.seconds[op]
            cell = f"{ms(p50(values))} / {ms(p99(values))}" if values else "no data"
            lines.append(_row([f"{op} ({o.backend})", cell, "—", "—", ""]))
    lines += _round_trip_rows(results)
    lines.append(_row(["**4. Throughput** (one process)", "", "", "", ""]))
    for t in results.throughput:
        label = f"commands/s, {t.users} users, {p['latency_ms']:g} ms Toggl, {t.backend}"
        failed = f", ⚠{t.failed} failed" if t.failed else ""
        detail = (
            f"{t.per_second:.0f} ({t.commands} cmds in {t.elapsed:.1f} s; "
            f"p50 {ms(p50(t.seconds))} / p99 {ms(p99(t.seconds))} ms; "
            f"{t.toggl_requests / max(t.commands, 1):.2f} req/cmd{failed})"
        )
        lines.append(_row([label, detail, "—", "—", ""]))
    lines += _web_rows(results)
    lines += _digest_and_year_rows(results)
    limit = p["quota_limit"]
    quota_cells: list[str] = []
    counts: list[float | None] = []
    for name in COLUMNS:
        q = results.quota.get(name)
        if q is None:
            quota_cells.append("unavailable")
            counts.append(None)
            continue
        quota_cells.append(f"{q.succeeded} ({q.requests_used} requests used)")
        counts.append(q.succeeded)
    lines.append(
        _row([f"**5. Commands done in a Free-plan hour** ({limit} workspace + {limit} personal "
              "requests, as Toggl counts them)", "", "", "", ""])
    )
    lines.append(
        _row(
            [
                "mix: " + ", ".join(p["free_plan_mix"]),
                *quota_cells,
                _ratio(counts[0], counts[1:], lower_is_better=False),
            ]
        )
    )
    return "\n".join(lines)


def notes(results: Results) -> list[str]:
    out = [
        "ratio: best peer ÷ togglbot for requests and time; togglbot ÷ best peer for row 5 "
        "(above 1× = togglbot better).",
        "Rows 1–2: one warm-up session per system is not counted; the fake runs in a thread "
        "of this process. Row 3 includes the in-process fake (nothing subtracted). Row 4: "
        "the fake runs in its own process.",
        "togglbot runs as build_core makes it, without per-token pacing of Toggl requests "
        "(the emulator has no per-second limit) and, in rows 1-4, without the runaway guard "
        "(60 commands, +1 a second per person), which back-to-back runs would trip.",
    ]
    for name, run in results.ops.items():
        out.append(f"{name}: pointed at the fake by {run.how}.")
        out.extend(f"{name}: {note}" for note in run.notes)
        for op, s in run.ops.items():
            if s.failures:
                out.append(f"{name} {op}: {len(s.failures)} failed, e.g. {s.failures[0]}")
            if s.http_errors:
                out.append(f"{name} {op}: fake answered {sorted(set(s.http_errors))[:3]}")
    for name, reason in results.unavailable.items():
        out.append(f"{name}: could not be run against the fake: {reason}")
    for v in results.variants:
        counts = ", ".join(f"{op} {_requests_cell(v, op)[0]}" for op in OPS)
        out.append(f"{v.name} (requests only): {counts}")
    for q in results.quota.values():
        out.append(f"row 5, {q.name}: {q.succeeded} of {q.attempted} commands; {q.stopped_by}.")
    for o in results.overhead:
        out.extend(f"core overhead {o.backend}: {k} ×{n}" for k, n in o.failures.items())
    for t in results.throughput:
        out.extend(f"throughput {t.backend}: {k} ×{n}" for k, n in sorted(t.failures.items())[:5])
    out.extend(_web_notes(results))
    out.extend(f"NETWORK GUARD: {v}" for v in results.violations)
    return out


def _web_notes(results: Results) -> list[str]:
    w = results.web
    if w is None:
        return [f"row 4b: {results.web_skipped}"] if results.web_skipped else []
    load = w.elapsed or 1.0
    out = [
        f"Row 4b: {w.users} users each log in (`/toggl login <token>`), then send "
        f"{w.per_user} of {', '.join(WEB_MIX)} in turn, the next once the previous "
        "follow-up has arrived; each user has its own HTTP connection. The ack is the HTTP "
        "response time of the signed POST as the client saw it; \"inside the process\" "
        "is from the app being called to its first response byte. Web process CPU "
        f"{w.web_cpu_seconds / load:.0%} of one core during the load, the client and "
        f"fake Slack {w.bench_cpu_seconds / load:.0%}; the fake Toggl runs in a third "
        f"process. Event-loop lag p99: web {ms(p99(w.server_lag_seconds or [0.0]))} ms, "
        f"client {ms(p99(w.client_lag_seconds or [0.0]))} ms.",
        f"Row 4b RSS: VmRSS of the web process and its children ({w.processes} "
        f"process(es)); at start-up {w.rss_startup_mb:.0f} MB, idle = median over "
        f"{w.idle_seconds:.1f} s after the logins, peak = highest of {w.rss_samples} "
        f"samples every 50 ms under load (kernel VmHWM {w.rss_hwm_mb:.0f} MB). "
        f"Start-up to /healthz: {w.startup_seconds:.1f} s; login ack p50 / p99 "
        f"{ms(p50(w.login_ack_seconds or [0.0]))} / {ms(p99(w.login_ack_seconds or [0.0]))}"
        " ms.",
    ]
    out.extend(f"row 4b: {k} ×{n}" for k, n in sorted(w.failures.items())[:5])
    return out


def render(results: Results) -> str:
    m, p = results.machine, results.params
    head = (
        f"Machine: {m['cpu_count']} cores, Python {m['python']}, {m['platform']}, "
        f"load average at start {m['load_average_at_start']}; peers {m['peers']}. "
        f"Parameters: runs={p['runs']}, Toggl latency={p['latency_ms']:g} ms, "
        f"throughput {p['users']} users / {p['total_commands']} commands, "
        f"PostgreSQL={'yes' if p['postgres'] else 'no'}."
    )
    return "\n".join([head, "", table(results), "", *(f"- {n}" for n in notes(results))])


def write_json(results: Results, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(results)
    for t, raw in zip(results.throughput, data["throughput"], strict=True):
        raw["per_second"] = t.per_second
    if results.web is not None:
        data["web"]["per_second"] = results.web.per_second
        data["web"]["summary"] = web_summary(results.web)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
