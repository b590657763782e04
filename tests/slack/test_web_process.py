"""`togglbot web` itself, over raw TCP: the limits and the one-line refusals are wired in."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import migrate
from bot.crypto import TokenCipher
from tests.processes.helpers import free_port, start, wait_healthy
from tests.slack.slack_side import FORM, SIGNING_SECRET, signature_headers

MARKER = "tok3nM4rk3rDoNotLeak0123456789ab"
FORGED = "2026-11-30 10:00:00,000 INFO bot.core command=Login user=U9 outcome=ok"


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    url = f"sqlite:///{tmp_path}/web.db"
    migrate.upgrade(url)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKEN_", "DATABASE_"))}
    env |= {
        "DATABASE_URL": url, "PORT": str(port), "LOG_LEVEL": "DEBUG",
        "TOKEN_ENCRYPTION_KEY": TokenCipher.generate_key(),
        "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # never called: nothing is admitted
    }
    process = start(["web"], env, tmp_path)
    try:
        wait_healthy(process, port)
        yield port, process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def exchange(port: int, data: bytes) -> bytes:
    """Send raw bytes, read until the server closes (or stops sending for 10 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(data)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
        return received


def post(port: int, body: str, headers: dict[str, str]) -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return exchange(port, (f"POST /slack/events HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                           f"Content-Length: {len(body.encode())}\r\n{head}\r\n{body}").encode())


def test_the_web_process_refuses_in_one_line_each_and_logs_no_body(
    web: tuple[int, subprocess.Popen[str]],
) -> None:
    port, process = web
    huge_headers = b"GET /healthz HTTP/1.1\r\nX-Pad: " + b"a" * (70 * 1024) + b"\r\n\r\n"
    assert exchange(port, huge_headers).startswith(b"HTTP/1.1 431")
    oversized = b"POST /slack/events HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n"
    assert exchange(port, oversized).startswith(b"HTTP/1.1 413")
    body = f"command=%2Ftoggl&text=login+{MARKER}\n{FORGED}"
    assert post(port, body, {"Content-Type": FORM}).startswith(b"HTTP/1.1 401")
    stale = signature_headers(body, timestamp=int(time.time()) - 600)
    assert post(port, body, {"Content-Type": FORM, **stale}).startswith(b"HTTP/1.1 401")
    assert post(port, "[" * 200_000, {"Content-Type": "application/json"}).startswith(
        b"HTTP/1.1 401")
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    refused = [line for line in stderr.splitlines() if " refused " in line]
    assert len(refused) == 5, stderr[-3000:]
    assert all(" togglbot.edge refused " in line for line in refused)
    assert MARKER not in stderr and "command=Login" not in stderr
    assert "Traceback" not in stderr
