"""Toggl Track behind the ``bot.ports.Toggl`` port: the only package that speaks its JSON."""

from bot.toggl.api import TogglClient, TogglSession
from bot.toggl.transport import RetryPolicy, Transport

__all__ = ["RetryPolicy", "TogglClient", "TogglSession", "Transport"]
