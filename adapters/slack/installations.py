"""Multi-workspace OAuth storage: bot installations in our database, a signed state.

The database side is bot.store.installations (an encrypted document per workspace); this
module only maps slack_sdk's Bot objects onto it. The OAuth ``state`` is signed with the
client secret instead of stored, so any process can check it; bolt also pins it to the
installing browser with a cookie, which is what stops cross-site forgery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from pydantic import SecretStr
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.translate import PLATFORM
from bot.store.installations import InstallationKey

log = logging.getLogger(__name__)


class InstallationRepository(Protocol):
    async def save(self, key: InstallationKey, document: SecretStr) -> None: ...
    async def find(self, key: InstallationKey) -> SecretStr | None: ...
    async def delete(self, key: InstallationKey) -> bool: ...


def _key(enterprise_id: str | None, team_id: str | None, org_wide: bool | None) -> InstallationKey:
    # An org-wide install answers for every workspace of the org: file it without a team.
    team = "" if org_wide else (team_id or "")
    return InstallationKey(PLATFORM, enterprise_id or "", team)


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()  # Bot() reads ISO strings back
    raise TypeError(type(value).__name__)


class SlackInstallationStore(AsyncInstallationStore):
    """Bot-only installations (we ask for no user scopes), the latest per workspace."""

    def __init__(self, repository: InstallationRepository) -> None:
        self._repository = repository

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        document = json.dumps(bot.to_dict_for_copying(), default=_json_default)
        key = _key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        await self._repository.save(key, SecretStr(document))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self._repository.find(_key(enterprise_id, team_id, is_enterprise_install))
        if found is None and enterprise_id and not is_enterprise_install:
            found = await self._repository.find(_key(enterprise_id, None, True))
        if found is None:
            return None
        data: dict[str, Any] = json.loads(found.get_secret_value())
        return Bot(**data)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._repository.delete(_key(enterprise_id, team_id, org_wide=False))

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:  # we keep no per-user installations
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)


class SignedStateStore(AsyncOAuthStateStore):
    """``timestamp.nonce.signature``: valid for ``expiration_seconds``, checkable anywhere."""

    def __init__(
        self,
        secret: SecretStr,
        expiration_seconds: int = 600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = secret
        self._expiration = expiration_seconds
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    def _sign(self, payload: str) -> str:
        key = self._secret.get_secret_value().encode()
        return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        payload = f"{int(self._clock())}.{secrets.token_urlsafe(16)}"
        return f"{payload}.{self._sign(payload)}"

    async def async_consume(self, state: str) -> bool:
        payload, _, signature = state.rpartition(".")
        if not hmac.compare_digest(self._sign(payload), signature):
            return False
        issued, _, _ = payload.partition(".")
        return issued.isdigit() and 0 <= self._clock() - int(issued) <= self._expiration
