"""The `web` process: an ASGI app with /healthz, and Slack's endpoints when configured."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.config import Settings

log = logging.getLogger(__name__)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def serve(settings: Settings) -> int:
    """Run the web process on $PORT until stopped."""
    import uvicorn

    uvicorn.run(create_web_app(settings), host="0.0.0.0", port=settings.PORT)  # noqa: S104
    return 0


def create_web_app(settings: Settings) -> Starlette:
    """Routes for the web process; Slack's are added once the Slack adapter is configured."""
    if settings.SLACK_SIGNING_SECRET is None:
        log.warning("Slack is not configured (SLACK_SIGNING_SECRET unset): serving /healthz only")
    return Starlette(routes=[Route("/healthz", healthz)])
