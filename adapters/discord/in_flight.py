"""The interactions being answered, so that stopping the process lets them finish."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return sum(1 for task in self._tasks if not task.done())

    async def drain(self, seconds: float) -> int:
        """Waits up to ``seconds`` for them; returns how many are still running."""
        running = [task for task in self._tasks if not task.done()]
        if running:
            await asyncio.wait(running, timeout=seconds)
        return len(self)

    def add(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class Tracks(Protocol):
    in_flight: InFlight


S = TypeVar("S", bound=Tracks)


def tracked(
    method: Callable[Concatenate[S, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, T]]:
    """Counts the method's task as in flight until the task ends."""

    @functools.wraps(method)
    async def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        task = asyncio.current_task()
        if task is not None:
            self.in_flight.add(task)
        return await method(self, *args, **kwargs)

    return wrapper
