"""The Slack Web API client every part of the adapter uses."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings


def web_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """Web API client on SLACK_API_URL that waits out Slack's 429s (Retry-After)."""
    base = settings.SLACK_API_URL
    return AsyncWebClient(
        token=token,
        base_url=base if base.endswith("/") else base + "/",  # slack_sdk appends method names
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )
