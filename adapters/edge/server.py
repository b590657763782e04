"""uvicorn's server, stopped by SIGTERM or Ctrl-C like any of our processes: it finishes
what is in flight (for at most ``WebLimits.stop_seconds``) and the process exits 0.

uvicorn itself re-raises the signal once it has stopped, so a service manager would see
the web process "killed by SIGTERM" after every clean stop.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from adapters.edge.limits import WebLimits
from adapters.edge.protocol import guarded_protocol

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StoppableServer(uvicorn.Server):
    """``own_signals=False`` when the caller handles the signals (``togglbot run``)."""

    def __init__(self, config: uvicorn.Config, *, own_signals: bool = True) -> None:
        super().__init__(config)
        self.own_signals = own_signals

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        if not self.own_signals:
            yield
            return
        loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            loop.add_signal_handler(sig, self.handle_exit, sig, None)
        try:
            yield
        finally:
            for sig in SIGNALS:
                loop.remove_signal_handler(sig)


def uvicorn_options(limits: WebLimits) -> dict[str, Any]:
    """Keyword arguments for uvicorn.Config / uvicorn.run that enforce ``limits``."""
    return {
        "http": guarded_protocol(limits),
        # Only reached when every connection is busy with a complete request: then 503.
        "limit_concurrency": limits.max_connections + 1,
        "timeout_keep_alive": limits.keep_alive_seconds,
        # One line per request at INFO lets any client grow the log without bound; refusals
        # and commands are logged by us, one line each.
        "access_log": False,
        "timeout_graceful_shutdown": limits.stop_seconds,
    }
