"""The Toggl emulator `togglbot demo` ships and the tests talk to, split by job.

``model`` (objects and value checks), ``state`` (storage and Toggl's rules), ``v9`` (the API
operations), ``routes`` and ``http`` (the ASGI app: auth, request log, faults, quota) and
``seed`` (the demo's sample data).
"""

from bot.emulator.http import Fault, RecordedRequest, TogglEmulator, serve
from bot.emulator.model import (
    FakeClient,
    FakeEntry,
    FakeProject,
    FakeTag,
    FakeUser,
    FakeWorkspace,
    Refusal,
)
from bot.emulator.seed import seed_demo

__all__ = [
    "FakeClient",
    "FakeEntry",
    "FakeProject",
    "FakeTag",
    "FakeUser",
    "FakeWorkspace",
    "Fault",
    "RecordedRequest",
    "Refusal",
    "TogglEmulator",
    "seed_demo",
    "serve",
]
