"""Who may post where, as Slack decides it: shared by both fake Slacks.

Shaped after Slack's method pages: chat.postMessage answers ``not_in_channel`` when the bot
isn't a member of a public channel and lacks ``chat:write.public``, ``channel_not_found``
for a private channel the bot can't see, ``is_archived``; a method whose scope the token
lacks answers ``missing_scope`` with ``needed`` and ``provided``. Every answer carries the
token's scopes in ``X-OAuth-Scopes`` (and the method's in ``X-Accepted-OAuth-Scopes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adapters.slack.scopes import BOT_SCOPES, USER_SCOPES

# The scope each method needs (bot tokens); methods not listed need none of ours.
METHOD_SCOPES = {
    "chat.postMessage": "chat:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}


# Methods a bot token may not call at all: a person's profile is set with their own token.
USER_TOKEN_METHODS = {"users.profile.set": "users.profile:write"}
MAX_STATUS_TEXT = 100


@dataclass
class UserToken:
    """A person's user token (``xoxp-``), as Slack issued it after their authorization."""

    team: str
    user: str
    scopes: set[str] = field(default_factory=lambda: set(USER_SCOPES))
    revoked: bool = False


def user_token_refusal(
    method: str, payload: dict[str, Any], token: UserToken | None, bot: bool
) -> dict[str, Any] | None:
    """Slack's answer to a user-token method (users.profile.set) or auth.revoke, or None.

    From the method pages: a bot token gets ``not_allowed_token_type``; an unknown or revoked
    token ``invalid_auth``; a user token without the scope ``missing_scope``; a profile
    that isn't a JSON object, or a status text over 100 characters, ``invalid_profile``.
    """
    if method == "auth.revoke":
        return None if token is not None or bot else {"ok": False, "error": "invalid_auth"}
    needed = USER_TOKEN_METHODS.get(method)
    if needed is None:
        return None
    if bot:
        return {"ok": False, "error": "not_allowed_token_type"}
    if token is None or token.revoked:
        return {"ok": False, "error": "invalid_auth"}
    if needed not in token.scopes:
        return {"ok": False, "error": "missing_scope", "needed": needed,
                "provided": ",".join(sorted(token.scopes))}
    profile = payload.get("profile")
    if not isinstance(profile, dict) or len(str(profile.get("status_text", ""))) \
            > MAX_STATUS_TEXT or not isinstance(profile.get("status_expiration", 0), int):
        return {"ok": False, "error": "invalid_profile"}
    return None


@dataclass
class Workspace:
    """The bot's standing in one fake workspace."""

    scopes: set[str] = field(default_factory=lambda: set(BOT_SCOPES))
    member_of: set[str] = field(default_factory=set)  # channels the bot was invited to
    private: set[str] = field(default_factory=set)
    archived: set[str] = field(default_factory=set)

    def headers(self, method: str) -> dict[str, str]:
        return {"X-OAuth-Scopes": ",".join(sorted(self.scopes)),
                "X-Accepted-OAuth-Scopes": METHOD_SCOPES.get(method, "")}

    def refusal(self, method: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's ``ok: false`` answer to this call, or None when it is allowed."""
        needed = METHOD_SCOPES.get(method)
        if needed and needed not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": needed,
                    "provided": ",".join(sorted(self.scopes))}
        if method != "chat.postMessage":
            return None
        channel = str(payload.get("channel", ""))
        if channel[:1] in ("U", "W"):
            return None  # a user id: the app's own DM with them
        if channel in self.archived:
            return {"ok": False, "error": "is_archived"}
        if channel in self.member_of:
            return None
        if channel in self.private or channel[:1] in ("D", "G"):
            return {"ok": False, "error": "channel_not_found"}
        if "chat:write.public" not in self.scopes:
            return {"ok": False, "error": "not_in_channel"}
        return None
