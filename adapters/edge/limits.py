"""How much a client may send, and how slowly, before it is refused or dropped."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WebLimits:
    """Slack's payloads are a few KB and arrive within its own 3-second budget, so these
    leave real clients plenty of room while a slow or huge sender is cut off early."""

    max_body_bytes: int = 1024 * 1024
    max_header_bytes: int = 64 * 1024
    header_seconds: float = 10.0  # from connecting (or the previous response) to full headers
    body_seconds: float = 10.0  # from full headers to the last byte of the body
    max_connections: int = 500  # past this, the longest-waiting idle connection is dropped
    keep_alive_seconds: int = 5
    stop_seconds: int = 5  # requests in flight get this long after SIGTERM

