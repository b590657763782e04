"""Counting PostgreSQL round trips: libpq's own protocol trace on every connection.

Each "Query" message (BEGIN, COMMIT, ROLLBACK, the pool's pre-ping) and each "Sync" (an
extended-protocol statement) sent by the client waits for the server's answer: one round
trip each. Issue 20 item 3 asks for at most 4 per `current` and 5 per `start`/`stop`.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class RoundTrips:
    """Attach before the engine's first connection; then ``since(mark())`` per command."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._file = tempfile.NamedTemporaryFile("w+", prefix="libpq-trace-", delete=False)  # noqa: SIM115
        event.listen(engine.sync_engine, "connect", self._trace)

    def _trace(self, dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.driver_connection.pgconn.trace(self._file.fileno())

    def mark(self) -> int:
        self._file.flush()
        return os.path.getsize(self._file.name)

    def since(self, mark: int) -> int:
        with open(self._file.name) as trace:
            trace.seek(mark)
            sent = [line.split("\t") for line in trace if "\tF\t" in line]
        return sum(1 for fields in sent if len(fields) > 3 and fields[3].strip() in
                   ("Query", "Sync"))

    def close(self) -> None:
        self._file.close()
        os.unlink(self._file.name)
