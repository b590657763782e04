"""The `web` process: an ASGI app with /healthz, and Slack's endpoints when configured.

Every request first passes the edge (adapters.edge: connection, header and body limits);
Slack's POSTs then pass the signature gate (adapters.slack.gate) on their raw bytes, and
only then does slack-bolt parse them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from functools import partial

from slack_bolt.adapter.starlette.async_handler import (
    to_async_bolt_request,
    to_starlette_response,
)
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from adapters.edge import BodyLimits, RefusalLog, StoppableServer, WebLimits, uvicorn_options
from adapters.slack import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, run_slack, slack_setup
from adapters.slack.gate import SlackGate, slack_body
from adapters.slack.status import STATUS_REDIRECT_PATH, finish_authorization
from bot.app import App, open_app
from bot.config import Settings
from bot.crypto import cipher_from

log = logging.getLogger(__name__)

AppBuilder = Callable[[Settings], AbstractAsyncContextManager[App]]
LIMITS = WebLimits()


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def slack_events(request: Request) -> Response:
    """Commands, interactivity and events: signed bytes only, then bolt."""
    state = request.app.state
    body = await request.body()  # bounded in size and time by BodyLimits
    refusal = await state.gate.check(body, request.headers)
    if refusal is not None:
        state.refusals.refused(request.method, request.url.path, len(body), refusal.reason)
        return Response(status_code=refusal.status)
    bolt = await state.slack.app.async_dispatch(bolt_request(request, body))
    return to_starlette_response(bolt)


def bolt_request(request: Request, body: bytes) -> AsyncBoltRequest:
    """Bolt's request for these (already verified) bytes, with the body read as Slack
    means it (``slack_body``) where bolt's own parser reads it wrong."""
    made = to_async_bolt_request(request, body)
    parsed = slack_body(body, request.headers.get("content-type", "").split(";")[0])
    if parsed is not None and parsed != made.body:
        made.body = parsed
        made.context = build_async_context(AsyncBoltContext({}), parsed)
    return made


async def slack_oauth(request: Request) -> Response:
    """The install page and OAuth redirect (GET; bolt checks its own signed state)."""
    return await request.app.state.slack.handle(request)  # type: ignore[no-any-return]


async def status_redirect(request: Request) -> Response:
    """Slack sends a person back here after `status on` (adapters.slack.status)."""
    query = request.query_params
    outcome = await finish_authorization(
        request.app.state.core, request.app.state.settings, query.get("code", ""),
        query.get("state", ""), query.get("error", ""),
    )
    return PlainTextResponse(outcome.message, status_code=outcome.status)


def serve(settings: Settings, limits: WebLimits = LIMITS) -> int:
    """Run the web process on $PORT until stopped."""
    import uvicorn

    app = create_web_app(settings, build=partial(open_app, serving=True), limits=limits)
    server = StoppableServer(uvicorn.Config(
        app, host="0.0.0.0", port=settings.PORT, **uvicorn_options(limits)  # noqa: S104
    ))
    server.run()
    return 0 if server.started else 1


def create_web_app(
    settings: Settings, *, build: AppBuilder = open_app, limits: WebLimits = LIMITS
) -> Starlette:
    """/healthz always; with Slack configured, the app is built once at startup and
    Slack's routes (or a Socket Mode connection) are served until shutdown."""
    refusals = RefusalLog()
    middleware = [Middleware(BodyLimits, limits=limits, refusals=refusals)]
    routes = [Route("/healthz", healthz)]
    setup = slack_setup(settings)
    if setup is None:
        log.warning("Slack is not configured (no SLACK_* settings): serving /healthz only")
        return Starlette(routes=routes, middleware=middleware)
    cipher_from(settings)  # fail now, with a clear message, not at the first request
    if setup.http:
        routes.append(Route(EVENTS_PATH, slack_events, methods=["POST"]))
    if setup.oauth:
        routes += [Route(p, slack_oauth, methods=["GET"]) for p in (INSTALL_PATH, REDIRECT_PATH)]
        if setup.http:
            routes.append(Route(STATUS_REDIRECT_PATH, status_redirect, methods=["GET"]))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            parts = await stack.enter_async_context(build(settings))
            app.state.slack = await stack.enter_async_context(run_slack(parts))
            app.state.core, app.state.settings = parts.core, settings
            app.state.refusals = refusals
            secret = settings.SLACK_SIGNING_SECRET
            if secret is not None:
                seen = await stack.enter_async_context(parts.seen_requests())
                app.state.gate = SlackGate(secret.get_secret_value(), seen)
            yield

    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
