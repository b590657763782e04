"""Which Slack set-up the settings ask for, and the bolt AsyncApp wired to the core."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from adapters.slack import listeners
from adapters.slack.installations import SignedStateStore
from adapters.slack.retries import SeenDeliveries, reject_unknown_shapes, skip_redeliveries
from adapters.slack.scopes import BOT_SCOPES
from adapters.slack.status import PLATFORM, SlackStatusBoard
from adapters.slack.web_api import web_client
from bot.config import Settings
from bot.core import Core
from bot.errors import ConfigError

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
EVENTS_PATH = "/slack/events"


@dataclass(frozen=True, slots=True)
class SlackSetup:
    """http: /slack/events is served (signing secret); oauth: many workspaces install us;
    socket: Socket Mode (app token), no public URL needed."""

    http: bool
    oauth: bool
    socket: bool


def slack_setup(settings: Settings) -> SlackSetup | None:
    """None when Slack isn't configured at all; ConfigError for a half-done configuration."""
    s = settings
    oauth = bool(s.SLACK_CLIENT_ID or s.SLACK_CLIENT_SECRET)
    http = s.SLACK_SIGNING_SECRET is not None
    socket = s.SLACK_APP_TOKEN is not None
    if not (oauth or http or socket or s.SLACK_BOT_TOKEN):
        return None
    if oauth and not (s.SLACK_CLIENT_ID and s.SLACK_CLIENT_SECRET and http):
        raise ConfigError(
            "Slack OAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET."
        )
    if not oauth and s.SLACK_BOT_TOKEN is None:
        raise ConfigError("Slack needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and "
                          "SLACK_CLIENT_SECRET (installable in many).")
    if not (http or socket):
        raise ConfigError("Slack needs SLACK_SIGNING_SECRET (HTTP on $PORT) or SLACK_APP_TOKEN "
                          "(Socket Mode).")
    if oauth and s.SLACK_BOT_TOKEN is not None:
        log.warning("SLACK_BOT_TOKEN is ignored: OAuth installations provide the tokens")
    return SlackSetup(http=http, oauth=oauth, socket=socket)




def _oauth_settings(
    settings: Settings, installations: AsyncInstallationStore
) -> AsyncOAuthSettings:
    secret = settings.SLACK_CLIENT_SECRET
    assert secret is not None and settings.SLACK_CLIENT_ID  # slack_setup checked
    return AsyncOAuthSettings(
        client_id=settings.SLACK_CLIENT_ID,
        client_secret=secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=SignedStateStore(secret),
    )


def _drop(record: logging.LogRecord) -> bool:
    return False


def create_slack_app(
    settings: Settings,
    core: Core,
    *,
    installations: AsyncInstallationStore | None = None,
) -> AsyncApp:
    """The bolt app for ``settings`` (see slack_setup); OAuth needs ``installations``."""
    setup = slack_setup(settings)
    if setup is None:
        raise ConfigError("Slack is not configured.")
    signing = settings.SLACK_SIGNING_SECRET
    secret = signing.get_secret_value() if signing else None
    if setup.oauth:
        if installations is None:
            raise ConfigError("Slack OAuth needs an installation store.")
        app = AsyncApp(
            signing_secret=secret,
            client=web_client(settings),
            oauth_settings=_oauth_settings(settings, installations),
        )
        # app_uninstalled / tokens_revoked: listeners.events, in both modes.
    else:
        token = settings.SLACK_BOT_TOKEN
        assert token is not None  # slack_setup checked
        app = AsyncApp(signing_secret=secret, client=web_client(settings, token.get_secret_value()))
    # The person's status: offered where Slack can send them back (OAuth over HTTP).
    core.status_boards[PLATFORM] = SlackStatusBoard(settings,
                                                    can_authorize=setup.oauth and setup.http)
    # Bolt logs a failed signature check at INFO with the whole body (a token, a forged log
    # line). The web gate refuses those before bolt sees them; this keeps bolt's own check
    # (its second opinion) from ever writing that line.
    logging.getLogger("slack_bolt.RequestVerification").addFilter(_drop)
    app.use(reject_unknown_shapes())
    app.use(skip_redeliveries(SeenDeliveries()))
    listeners.register(app, core)
    return app
