"""The running timer in a person's Slack status: their authorization, and setting it.

`status on` links to Slack's OAuth page asking the person (not the workspace) for
``users.profile:write``; Slack sends them back to ``STATUS_REDIRECT_PATH`` with a code,
which is exchanged for their user token (stored encrypted by the core). Then
``users.profile.set`` with that token shows ":stopwatch: <description>" with an expiry,
and clears it when the timer stops. A bot token can't set anyone's status: Slack answers
``not_allowed_token_type``. The ``state`` is signed with the client secret and names the
person who asked: the token is kept only if Slack says that same person authorized it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.scopes import USER_SCOPES
from adapters.slack.web_api import web_client
from bot.config import Settings
from bot.core import Core
from bot.domain import UserKey
from bot.status import StatusRefused

log = logging.getLogger(__name__)

PLATFORM = "slack"
STATUS_REDIRECT_PATH = "/slack/status_redirect"
AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
# Seconds a link stays good: the App Home shows one until it is next refreshed.
STATE_LIFETIME = 24 * 3600
# Slack's answers that mean the token will never work again.
DEAD_TOKEN = frozenset({"invalid_auth", "token_revoked", "token_expired", "account_inactive",
                        "not_authed", "missing_scope", "not_allowed_token_type"})


def redirect_uri(settings: Settings) -> str:
    return (settings.PUBLIC_URL or "").rstrip("/") + STATUS_REDIRECT_PATH


def sign_state(secret: SecretStr, key: UserKey, now: float) -> str:
    body = f"{key.team_id}.{key.user_id}.{int(now) + STATE_LIFETIME}"
    return f"{body}.{_mac(secret, body)}"


def read_state(secret: SecretStr, state: str, now: float) -> UserKey | None:
    """The person a state was made for; None if forged, malformed or expired."""
    body, _, mac = state.rpartition(".")
    parts = body.split(".")
    if len(parts) != 3 or not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    team, user, expires = parts
    if not expires.isdigit() or int(expires) < now:
        return None
    return UserKey(PLATFORM, team, user)


def _mac(secret: SecretStr, body: str) -> str:
    key = secret.get_secret_value().encode()
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:32]


class SlackStatusBoard:
    """``bot.status.StatusBoard`` for Slack; ``can_authorize``: OAuth over HTTP is set up."""

    def __init__(self, settings: Settings, *, can_authorize: bool) -> None:
        self.settings = settings
        self.can_authorize = can_authorize

    def authorize_url(self, key: UserKey) -> str | None:
        s = self.settings
        if not (self.can_authorize and s.SLACK_CLIENT_ID and s.SLACK_CLIENT_SECRET
                and s.PUBLIC_URL):
            return None
        query = urlencode({
            "client_id": s.SLACK_CLIENT_ID,
            "user_scope": ",".join(USER_SCOPES),
            "redirect_uri": redirect_uri(s),
            "state": sign_state(s.SLACK_CLIENT_SECRET, key, time.time()),
            "team": key.team_id,
        })
        return f"{AUTHORIZE_URL}?{query}"

    async def show(self, token: SecretStr, text: str, emoji: str, until: datetime) -> None:
        await self._set(token, {"status_text": text, "status_emoji": emoji,
                                "status_expiration": int(until.timestamp())})

    async def clear(self, token: SecretStr) -> None:
        await self._set(token, {"status_text": "", "status_emoji": "", "status_expiration": 0})

    async def revoke(self, token: SecretStr) -> None:
        await self._client(token).auth_revoke()

    async def _set(self, token: SecretStr, profile: dict[str, str | int]) -> None:
        try:
            await self._client(token).users_profile_set(profile=profile)
        except SlackApiError as exc:
            if exc.response.get("error") in DEAD_TOKEN:
                raise StatusRefused(str(exc.response.get("error"))) from None
            raise

    def _client(self, token: SecretStr) -> AsyncWebClient:
        return web_client(self.settings, token.get_secret_value())


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    message: str


async def finish_authorization(
    core: Core, settings: Settings, code: str, state: str, error: str = ""
) -> Outcome:
    """Slack sent the person back: keep their token if it is theirs and has the scope."""
    secret = settings.SLACK_CLIENT_SECRET
    if secret is None or not settings.SLACK_CLIENT_ID:
        return Outcome(404, "Slack statuses are not set up on this bot.")
    if error:
        return Outcome(200, "Nothing changed: Slack says you didn't allow it.")
    key = read_state(secret, state, time.time())
    if key is None or not code:
        return Outcome(400, "This link has expired or isn't valid: run `/toggl status on` "
                            "again.")
    try:
        answer = await web_client(settings).oauth_v2_access(
            client_id=settings.SLACK_CLIENT_ID, client_secret=secret.get_secret_value(),
            code=code, redirect_uri=redirect_uri(settings),
        )
    except SlackApiError as exc:
        log.warning("status authorization: oauth.v2.access failed: %s",
                    exc.response.get("error"))
        return Outcome(400, "Slack didn't confirm the authorization: run `/toggl status on` "
                            "again.")
    user = answer.get("authed_user") or {}
    team = (answer.get("team") or {}).get("id")
    if user.get("id") != key.user_id or team != key.team_id:
        return Outcome(403, "This authorization was for someone else's link: run "
                            "`/toggl status on` yourself.")
    if not set(USER_SCOPES) <= set(str(user.get("scope") or "").split(",")):
        return Outcome(400, "Slack didn't grant permission to set your status.")
    await core.link_status(key, SecretStr(str(user["access_token"])))
    return Outcome(200, "Done: while a timer runs, your Slack status shows it. You can close "
                        "this tab; `/toggl status off` undoes it.")
