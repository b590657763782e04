"""Async client for the Toggl Track API v9."""

from bot.toggl.api import MeWithRelated, TogglClient, TogglSession
from bot.toggl.transport import RetryPolicy, Transport

__all__ = ["MeWithRelated", "RetryPolicy", "TogglClient", "TogglSession", "Transport"]
