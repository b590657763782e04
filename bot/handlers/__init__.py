"""Handlers: one coroutine per command, joined to its declaration by ``@handles``.

Importing this package imports every handler module, so every declaration has its handler
before the core runs anything (a test checks none is missing).
"""

from bot.handlers import (  # noqa: F401
    account,
    catalog,
    channel,
    clients,
    digest,
    edits,
    entries,
    help,
    pickup,
    remind,
    report,
    status,
    timer,
    track,
)
