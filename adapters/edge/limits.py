"""How much a client may send, and how slowly, before it is refused or dropped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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


def uvicorn_options(limits: WebLimits) -> dict[str, Any]:
    """Keyword arguments for uvicorn.Config / uvicorn.run that enforce ``limits``."""
    from adapters.edge.protocol import guarded_protocol

    return {
        "http": guarded_protocol(limits),
        # Only reached when every connection is busy with a complete request: then 503.
        "limit_concurrency": limits.max_connections + 1,
        "timeout_keep_alive": limits.keep_alive_seconds,
        # One line per request at INFO lets any client grow the log without bound; refusals
        # and commands are logged by us, one line each.
        "access_log": False,
    }
