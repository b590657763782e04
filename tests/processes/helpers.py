"""Running `togglbot` as a real OS process: ports, a Toggl that never answers, signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from bot.crypto import TokenCipher

STOPS_WITHIN = 10  # seconds: what issue 15 promises operators after SIGTERM or Ctrl-C
STARTS_WITHIN = 40  # generous: 2 shared cores


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TOKEN_", "DATABASE_", "SLACK_", "DISCORD_", "TOGGL_"))}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
            "TOKEN_ENCRYPTION_KEY": TokenCipher.generate_key(), "PYTHONUNBUFFERED": "1"}
    return env | extra


def start(argv: list[str], env: dict[str, str], cwd: Path, *,
          prelude: str = "") -> subprocess.Popen[str]:
    """`togglbot ARGV`; ``prelude`` is Python run first (e.g. to aim discord.py elsewhere)."""
    code = f"{prelude}\nimport sys\nfrom bot.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, *argv], env=env, cwd=cwd,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_healthy(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + STARTS_WITHIN
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the process did not come up"
        time.sleep(0.1)


def stop(process: subprocess.Popen[str], sig: signal.Signals) -> tuple[str, str]:
    """Send ``sig``; the process must be gone within STOPS_WITHIN seconds."""
    process.send_signal(sig)
    try:
        return process.communicate(timeout=STOPS_WITHIN)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        raise AssertionError(f"still running {STOPS_WITHIN} s after {sig.name}:\n{err}") from None


@contextmanager
def silent_server() -> Iterator[tuple[str, threading.Event]]:
    """A server that accepts connections and never answers: a hung Toggl or Discord.
    Yields its URL and an event set once something connected."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)
            accepted.set()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    finally:
        with suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        for conn in held:
            conn.close()
