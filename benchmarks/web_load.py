"""Row 4b (#9 items 4b and 5): the Slack `web` process over HTTP, and its memory.

Three OS processes, talking over real HTTP on 127.0.0.1:

- the web process (``benchmarks.web_process``: what `togglbot web` runs, on 127.0.0.1)
  on a migrated SQLite file, with a generated encryption key and dummy Slack credentials;
- the fake Toggl with the configured latency and one seeded account per simulated user
  (``benchmarks.load.fake_toggl_process``, as row 4 uses it);
- this process: the simulated Slack users, and the test suite's fake Slack
  (``tests.slack.fake_slack``), served in the same event loop, which receives the
  ``response_url`` follow-ups.

Each simulated user first logs in with ``/toggl login <token>``; after the logins, each
sends its share of a start / current / stop / summary mix, the next command once the
previous follow-up has arrived (as a person would). Every slash command is signed as Slack
signs it (``tests.slack.slack_side``) and goes over the user's own connection (one
``httpx.AsyncClient`` each: a single pool of hundreds of connections costs httpx more CPU
than the web process spends, which would measure the client). Measured: the HTTP response
time of each POST (Slack's 3-second ack), the time from the POST to its follow-up,
commands/s end to end, and the web process's RSS (``/proc``, children included): idle
after start-up and logins, and the peak sampled every 50 ms under load. For diagnosis, the
CPU time of both sides and the event-loop lag of both sides are kept too.

togglbot's runaway guard (60 commands at once, then one a second per person) is left as it
is: when a user's login plus commands would exceed it, the idle period after the logins
is long enough for it to refill; anything it still refuses is counted apart. Toggl
requests are not paced per token here (the emulator has no per-second limit).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import resource
import socket
import ssl
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.requests import Request
from starlette.responses import Response

from benchmarks.databases import sqlite_database
from benchmarks.load import fake_toggl_process, requests_seen
from benchmarks.web_process import GUARD_MARKER
from bot.crypto import TokenCipher
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_side import BOT_TOKEN, FORM, SIGNING_SECRET, SlackSide, signature_headers

REPO = Path(__file__).resolve().parent.parent
# What each user types, in turn.
WEB_MIX: tuple[str, ...] = ("start Benchmark task", "current", "stop", "summary today")
BURST, REFILL_S = 60, 1.0  # the runaway guard as Core builds it
STARTUP_TIMEOUT_S = 60.0
ANSWER_TIMEOUT_S = 30.0
SAMPLE_EVERY_S = 0.05
IDLE_S = 3.0  # the least time spent measuring the idle process after the logins
REFUSED = "Slow down"
FAILED_ICONS = (":x: ", ":warning: ")


@dataclass
class WebLoad:
    users: int
    per_user: int
    latency_ms: float
    commands: int = 0  # load commands posted (logins not included)
    acked: int = 0  # answered 200 by the web process
    answered: int = 0  # follow-ups that reached the fake Slack's response_url
    refused: int = 0  # follow-ups saying the per-person limiter refused the command
    failed: int = 0  # non-200 acks, missing follow-ups, warning or error follow-ups
    elapsed: float = 0.0  # first load POST to last follow-up
    ack_seconds: list[float] = field(default_factory=list)  # as the client saw it
    server_ack_seconds: list[float] = field(default_factory=list)  # inside the web process
    server_lag_seconds: list[float] = field(default_factory=list)  # its event loop's lateness
    client_lag_seconds: list[float] = field(default_factory=list)  # ours, under load
    answer_seconds: list[float] = field(default_factory=list)  # POST -> follow-up
    login_ack_seconds: list[float] = field(default_factory=list)
    toggl_requests: int = 0  # during the load phase
    startup_seconds: float = 0.0  # process start -> /healthz answers
    idle_seconds: float = 0.0
    rss_startup_mb: float = 0.0
    rss_idle_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_hwm_mb: float = 0.0  # the kernel's VmHWM after the run (web process itself)
    rss_samples: int = 0
    processes: int = 1  # the web process and its children, at the peak sample
    web_cpu_seconds: float = 0.0  # CPU time of the web process during the load phase
    bench_cpu_seconds: float = 0.0  # ... and of this process (client, fake Slack)
    failures: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.answered / self.elapsed if self.elapsed else 0.0


class _Slack(FakeSlack):
    """The test suite's fake Slack, telling the load loop when each follow-up arrives."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self._waiting: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Future[Any]]] = {}

    def expect(self, hook: str) -> asyncio.Future[tuple[float, dict[str, Any]]]:
        """A future for the follow-up to ``hook``: (perf_counter on arrival, payload)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[float, dict[str, Any]]] = loop.create_future()
        with self._lock:
            self._waiting[hook] = (loop, future)
        return future

    async def _respond(self, request: Request) -> Response:
        arrived = time.perf_counter()
        response = await super()._respond(request)
        hook = request.path_params["hook"]
        with self._lock:
            waiting = self._waiting.pop(hook, None)
            payload = self.calls[-1].payload if self.calls else {}
            for call in reversed(self.calls):  # ours, even if another arrived meanwhile
                if call.path == hook:
                    payload = call.payload
                    break
        if waiting is not None:
            loop, future = waiting
            loop.call_soon_threadsafe(_settle, future, (arrived, payload))
        return response


def _settle(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


# -- memory ------------------------------------------------------------------------------


def _status_kb(pid: int, field_name: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (via /proc/<pid>/task/<tid>/children)."""
    found: list[int] = []
    todo = [pid]
    while todo and len(found) < 1000:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                continue
    return found


def rss_mb(pid: int) -> tuple[float, int]:
    """VmRSS of ``pid`` and its children in MB, and how many processes that was."""
    pids = _tree(pid)
    return sum(_status_kb(p, "VmRSS") for p in pids) / 1024, len(pids)


class _Sampler:
    """Samples the tree's RSS every ``SAMPLE_EVERY_S`` in a task; keeps every sample."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.samples.append(rss_mb(self.pid))
            await asyncio.sleep(SAMPLE_EVERY_S)

    def start(self) -> None:
        self.samples = []
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> list[tuple[float, int]]:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.samples.append(rss_mb(self.pid))
        return self.samples


# -- the web process ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _web_env(database_url: str, toggl_url: str, slack: FakeSlack, port: int) -> dict[str, str]:
    env = dict(os.environ)
    for name in list(env):
        if name.startswith(("SLACK_", "DISCORD_", "TOGGL_")):
            del env[name]
    env.update(
        DATABASE_URL=database_url,
        TOKEN_ENCRYPTION_KEY=TokenCipher.generate_key(),
        TOGGL_API_URL=f"{toggl_url}/api/v9",
        TOGGL_REPORTS_URL=f"{toggl_url}/reports/api/v3",
        SLACK_BOT_TOKEN=BOT_TOKEN,  # the test suite's dummy values
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        PORT=str(port),
        LOG_LEVEL="INFO",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    return env


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


async def _wait_healthy(web: httpx.AsyncClient, process: asyncio.subprocess.Process,
                        log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"the web process exited ({process.returncode}):\n{_tail(log)}")
        try:
            if (await web.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the web process did not answer /healthz:\n{_tail(log)}")


# -- Slack's side ------------------------------------------------------------------------


def _tally(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _first_text(payload: dict[str, Any]) -> str:
    blocks = payload.get("blocks") or [{}]
    text = (blocks[0].get("text") or {}).get("text", "")
    return text if isinstance(text, str) else ""


async def _command(
    side: SlackSide, web: httpx.AsyncClient, slack: _Slack, text: str, user: str
) -> tuple[int, float, float | None, dict[str, Any]]:
    """POST one signed `/toggl text`: (status, ack s, POST->follow-up s or None, payload)."""
    body, hook = side.command_body(text, user=user, team="T1")
    headers = {"Content-Type": FORM, **signature_headers(body, secret=SIGNING_SECRET)}
    follow_up = slack.expect(hook)
    started = time.perf_counter()
    try:
        response = await web.post("/slack/events", content=body, headers=headers)
    except httpx.HTTPError as exc:  # counted as a failure (status 0), not fatal
        follow_up.cancel()
        return 0, time.perf_counter() - started, None, {"error": type(exc).__name__}
    ack = time.perf_counter() - started
    if response.status_code != 200:
        follow_up.cancel()
        return response.status_code, ack, None, {}
    try:
        arrived, payload = await asyncio.wait_for(follow_up, ANSWER_TIMEOUT_S)
    except TimeoutError:
        return response.status_code, ack, None, {}
    return response.status_code, ack, arrived - started, payload


async def _lag(samples: list[float]) -> None:
    while True:
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        samples.append(time.perf_counter() - started - 0.01)


def pct(values: Sequence[float], q: float) -> float:
    """The median for q = 0.5, else the nearest-rank percentile (as in the table)."""
    if not values:
        return 0.0
    if q == 0.5:
        return statistics.median(values)
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


async def _drive(process: asyncio.subprocess.Process, log: Path, port: int, slack: _Slack,
                 toggl: Connection, result: WebLoad, launched: float,
                 window: list[float]) -> None:
    users = result.users
    base = f"http://127.0.0.1:{port}"
    # One client (one connection) per simulated user, as Slack delivers each on its own:
    # a single httpx pool with hundreds of connections spends its time in its own
    # bookkeeping (O(connections) per request) and would dominate the measurement.
    tls = ssl.create_default_context()  # unused on http://, but shared instead of 1 per client
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(httpx.AsyncClient(
                base_url=base, timeout=httpx.Timeout(ANSWER_TIMEOUT_S), trust_env=False,
                verify=tls, limits=httpx.Limits(max_connections=1)))
            for _ in range(users)
        ]
        web = clients[0]
        await _wait_healthy(web, process, log)
        result.startup_seconds = time.perf_counter() - launched
        result.rss_startup_mb = rss_mb(process.pid)[0]
        side = SlackSide(web, slack)  # builds the bodies; its counter keeps hooks unique

        async def login(i: int) -> None:
            status, ack, _, payload = await _command(
                side, clients[i], slack, f"login load-{i:04d}", f"U{i}"
            )
            result.login_ack_seconds.append(ack)
            if status != 200 or not str(payload.get("text", "")).startswith("Connected as"):
                raise RuntimeError(f"user {i} could not log in: {status} {payload.get('text')}")

        await asyncio.gather(*(login(i) for i in range(users)))

        # Idle: settled after the logins, and long enough for the limiter to refill.
        refill = max(0, 1 + result.per_user - BURST) * REFILL_S
        result.idle_seconds = max(result.idle_seconds, refill + 0.5 if refill else 0.0)
        sampler = _Sampler(process.pid)
        sampler.start()
        await asyncio.sleep(result.idle_seconds)
        idle = await sampler.stop()
        result.rss_idle_mb = statistics.median(mb for mb, _ in idle)

        async def person(i: int) -> None:
            for k in range(result.per_user):
                text = WEB_MIX[k % len(WEB_MIX)]
                status, ack, answer, payload = await _command(
                    side, clients[i], slack, text, f"U{i}"
                )
                result.commands += 1
                result.ack_seconds.append(ack)
                if status != 200:
                    result.failed += 1
                    _tally(result.failures, f"{text}: HTTP {status or payload.get('error')}")
                    continue
                result.acked += 1
                if answer is None:
                    result.failed += 1
                    _tally(result.failures, f"{text}: no follow-up in {ANSWER_TIMEOUT_S:g} s")
                    continue
                result.answered += 1
                result.answer_seconds.append(answer)
                first = _first_text(payload)
                if REFUSED in str(payload.get("text", "")):
                    result.refused += 1
                elif first.startswith(FAILED_ICONS):
                    result.failed += 1
                    _tally(result.failures, f"{text}: {payload.get('text', '')[:60]}")

        before = requests_seen(toggl)
        sampler.start()
        cpu = cpu_seconds(process.pid), _own_cpu()
        probe = asyncio.create_task(_lag(result.client_lag_seconds))
        result_wall = time.time()
        started = time.perf_counter()
        await asyncio.gather(*(person(i) for i in range(users)))
        result.elapsed = time.perf_counter() - started
        probe.cancel()
        result.web_cpu_seconds = cpu_seconds(process.pid) - cpu[0]
        result.bench_cpu_seconds = _own_cpu() - cpu[1]
        window[:] = [result_wall, time.time()]
        loaded = await sampler.stop()
        result.toggl_requests = requests_seen(toggl) - before
        result.rss_peak_mb, result.processes = max(loaded)
        result.rss_samples = len(loaded)
        result.rss_hwm_mb = _status_kb(process.pid, "VmHWM") / 1024


def web_throughput(
    work: Path, users: int, total: int, latency: float, idle: float = IDLE_S
) -> WebLoad:
    """Start the web process, log ``users`` in, send ``total`` commands in all; stop it.

    ``idle``: the least time the idle process is watched after the logins."""
    per_user = max(1, total // users)
    result = WebLoad(users=users, per_user=per_user, latency_ms=latency * 1000)
    result.idle_seconds = idle
    database_url = sqlite_database(work, "web")
    with fake_toggl_process(users, latency) as (toggl_url, toggl):
        asyncio.run(_run(work, database_url, toggl_url, toggl, result))
    return result


@asynccontextmanager
async def _serving(app: Any, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn in this event loop (no thread: no GIL contention)."""
    config = uvicorn.Config(app, host=host, port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(1000):
        if server.started or task.done():
            break
        await asyncio.sleep(0.005)
    if not server.started:
        raise RuntimeError("the fake Slack server did not start")
    try:
        yield f"http://{host}:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 15)


async def _run(work: Path, database_url: str, toggl_url: str, toggl: Connection,
               result: WebLoad) -> None:
    log, timings = work / "web-process.log", work / "web-acks.json"
    window = [math.inf, math.inf]  # wall clock of the load phase, to pick the web's samples
    slack = _Slack()
    async with _serving(slack.app) as slack.base_url:
        port = _free_port()
        env = _web_env(database_url, toggl_url, slack, port) | {"BENCH_TIMINGS": str(timings)}
        launched = time.perf_counter()
        with log.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "benchmarks.web_process",
                cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
            try:
                await _drive(process, log, port, slack, toggl, result, launched, window)
            finally:
                if process.returncode is None:
                    process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 15)
                except TimeoutError:
                    process.kill()
                    await asyncio.wait_for(process.wait(), 5)
    if timings.exists():
        inside = json.loads(timings.read_text())
        result.server_ack_seconds = [s for wall, s in inside["acks"] if wall >= window[0]]
        result.server_lag_seconds = [
            s for wall, s in inside["lag"] if window[0] <= wall <= window[1]
        ]
    text = log.read_text(errors="replace")
    result.violations = [
        line.split(GUARD_MARKER, 1)[1].strip() for line in text.splitlines()
        if GUARD_MARKER in line
    ]


def summary(result: WebLoad) -> dict[str, object]:
    """The headline numbers, as printed in the table."""
    return {
        "ack_ms_p50": round(pct(result.ack_seconds, 0.5) * 1000, 1),
        "ack_ms_p99": round(pct(result.ack_seconds, 0.99) * 1000, 1),
        "server_ack_ms_p50": round(pct(result.server_ack_seconds, 0.5) * 1000, 1),
        "server_ack_ms_p99": round(pct(result.server_ack_seconds, 0.99) * 1000, 1),
        "server_lag_ms_p50": round(pct(result.server_lag_seconds, 0.5) * 1000, 1),
        "server_lag_ms_p99": round(pct(result.server_lag_seconds, 0.99) * 1000, 1),
        "client_lag_ms_p50": round(pct(result.client_lag_seconds, 0.5) * 1000, 1),
        "client_lag_ms_p99": round(pct(result.client_lag_seconds, 0.99) * 1000, 1),
        "answer_ms_p50": round(pct(result.answer_seconds, 0.5) * 1000, 1),
        "answer_ms_p99": round(pct(result.answer_seconds, 0.99) * 1000, 1),
        "commands_per_second": round(result.per_second, 1),
        "rss_idle_mb": round(result.rss_idle_mb, 1),
        "rss_peak_mb": round(result.rss_peak_mb, 1),
    }


if __name__ == "__main__":  # a quick look: python -m benchmarks.web_load [users] [total]
    import tempfile

    users, total = ([int(a) for a in sys.argv[1:3]] + [200, 2000][len(sys.argv[1:3]):])[:2]
    with tempfile.TemporaryDirectory() as tmp:
        outcome = web_throughput(Path(tmp), users, total, latency=0.05)
    print(json.dumps({**summary(outcome), "refused": outcome.refused, "failed": outcome.failed,
                      "failures": outcome.failures, "answered": outcome.answered,
                      "elapsed": round(outcome.elapsed, 2), "violations": outcome.violations,
                      "rss_hwm_mb": round(outcome.rss_hwm_mb, 1),
                      "startup_s": round(outcome.startup_seconds, 2),
                      "web_cpu_s": round(outcome.web_cpu_seconds, 1),
                      "bench_cpu_s": round(outcome.bench_cpu_seconds, 1),
                      "server_acks": len(outcome.server_ack_seconds)}, indent=2))
