"""The `web` process: an ASGI app with /healthz, and Slack's endpoints when configured."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial

from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.slack import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, run_slack, slack_setup
from bot.app import App, open_app
from bot.config import Settings
from bot.crypto import cipher_from

log = logging.getLogger(__name__)

AppBuilder = Callable[[Settings], AbstractAsyncContextManager[App]]


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def slack(request: Request) -> Response:
    """Every Slack request (commands, interactivity, events, OAuth) goes through bolt."""
    try:
        return await request.app.state.slack.handle(request)  # type: ignore[no-any-return]
    except ValueError:
        # Bolt decodes a JSON body before it checks the signature, and raises on garbage.
        verifier: SignatureVerifier | None = request.app.state.verifier
        body, headers = await request.body(), dict(request.headers)
        signed = verifier is not None and verifier.is_valid_request(body, headers)
        return Response(status_code=400 if signed else 401)


def serve(settings: Settings) -> int:
    """Run the web process on $PORT until stopped."""
    import uvicorn

    app = create_web_app(settings, build=partial(open_app, serving=True))
    uvicorn.run(app, host="0.0.0.0", port=settings.PORT)  # noqa: S104
    return 0


def create_web_app(settings: Settings, *, build: AppBuilder = open_app) -> Starlette:
    """/healthz always; with Slack configured, the core is built once at startup and
    Slack's routes (or a Socket Mode connection) are served until shutdown."""
    routes = [Route("/healthz", healthz)]
    setup = slack_setup(settings)
    if setup is None:
        log.warning("Slack is not configured (no SLACK_* settings): serving /healthz only")
        return Starlette(routes=routes)
    cipher_from(settings)  # fail now, with a clear message, not at the first request
    if setup.http:
        routes.append(Route(EVENTS_PATH, slack, methods=["POST"]))
    if setup.oauth:
        routes += [Route(path, slack, methods=["GET"]) for path in (INSTALL_PATH, REDIRECT_PATH)]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with build(settings) as parts, run_slack(parts) as handler:
            app.state.slack = handler
            secret = settings.SLACK_SIGNING_SECRET
            app.state.verifier = SignatureVerifier(secret.get_secret_value()) if secret else None
            yield

    return Starlette(routes=routes, lifespan=lifespan)
