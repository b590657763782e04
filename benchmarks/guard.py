"""Keep the benchmark on this machine: loopback sockets only, no real config files.

``loopback_only`` wraps ``socket.getaddrinfo`` and ``socket.socket.connect`` so that any
attempt to resolve or reach a non-loopback host raises ``NonLoopbackError`` (and is
recorded, in case a library swallows the exception; the harness checks the record and
fails the run). ``isolated_env`` points HOME and XDG_CONFIG_HOME at a temporary folder
and removes TOGGL_* credentials and proxy variables, so togglcli cannot read a real
``~/.togglrc`` and no HTTP client routes through a proxy.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
SCRUBBED = (
    "TOGGL_API_TOKEN",
    "TOGGL_USERNAME",
    "TOGGL_PASSWORD",
    "TOGGL_WORKSPACE_ID",
    "TOGGL_WORKSPACE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)

violations: list[str] = []


class NonLoopbackError(RuntimeError):
    """Something in the benchmark tried to leave 127.0.0.1."""


def is_loopback(host: Any, allowed: frozenset[str] = frozenset()) -> bool:
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.lower() in LOOPBACK_NAMES or name in allowed:
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(host: Any) -> NonLoopbackError:
    message = f"benchmark tried to reach non-loopback host {host!r}"
    violations.append(message)
    return NonLoopbackError(message)


@contextmanager
def loopback_only(allowed: frozenset[str] = frozenset()) -> Iterator[None]:
    """Within the block, resolving or connecting to a non-loopback host raises."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_loopback(host, allowed):
            raise _refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(
            address[0], allowed
        ):
            raise _refuse(address[0])
        real_connect(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        socket.getaddrinfo = real_getaddrinfo
        socket.socket.connect = real_connect  # type: ignore[method-assign]


@contextmanager
def isolated_env(home: Path) -> Iterator[None]:
    """A throwaway HOME with no Toggl credentials or proxies in the environment."""
    saved = dict(os.environ)
    home.mkdir(parents=True, exist_ok=True)
    for name in SCRUBBED:
        os.environ.pop(name, None)
    os.environ["HOME"] = str(home)
    os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
