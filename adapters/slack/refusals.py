"""Slack's refusals of a bot's post, and what a person can do about each.

Shared by `digest at` (the web process) and the digest worker: both post with
chat.postMessage and must explain the same ``ok: false`` answers the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.digest.ports import Refusal

INVITE = "invite me with `/invite @togglbot` in the channel"
REINSTALL = "a Slack admin needs to reinstall the app from the current manifest"
_TOKEN_GONE = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked",
                         "token_expired"})
_WORKSPACE_POLICY = frozenset({"restricted_action", "ekm_access_denied", "access_denied",
                               "team_access_not_granted", "not_allowed_token_type"})
# Refusals that asking again the same day cannot change.
PERMANENT = frozenset({"not_in_channel", "channel_not_found", "is_archived", "missing_scope"}
                      | _TOKEN_GONE | _WORKSPACE_POLICY)


def granted_scopes(headers: Mapping[str, Any] | None) -> frozenset[str] | None:
    """The token's scopes, from the ``x-oauth-scopes`` header Slack sends on every answer."""
    raw = (headers or {}).get("x-oauth-scopes") or (headers or {}).get("X-OAuth-Scopes")
    if raw is None:
        return None
    return frozenset(s.strip() for s in str(raw).split(",") if s.strip())


def refusal(answer: Mapping[str, Any], scopes: frozenset[str] | None) -> Refusal:
    """``answer`` is Slack's ``{"ok": false, "error": …}`` body."""
    error = str(answer.get("error") or "refused")
    return Refusal(error, _fix(error, str(answer.get("needed") or ""), scopes))


def _fix(error: str, needed: str, scopes: frozenset[str] | None) -> str:
    if error == "not_in_channel":
        if scopes is not None and "chat:write.public" not in scopes:
            return (f"I'm not in this channel: {INVITE}, or (for public channels) "
                    f"{REINSTALL} so I may post without an invitation (`chat:write.public`).")
        return f"I'm not in this channel: {INVITE}."
    if error == "channel_not_found":
        return (f"I can't see this channel: it is private and I'm not in it, so {INVITE}. "
                "Digests can't be posted in direct messages.")
    if error == "is_archived":
        return "The channel is archived: unarchive it, or set the digest up in another channel."
    if error == "missing_scope":
        return f"The app lacks Slack's `{needed or 'needed'}` permission: {REINSTALL}."
    if error in _TOKEN_GONE:
        return f"togglbot's Slack token no longer works (uninstalled or revoked): {REINSTALL}."
    if error in _WORKSPACE_POLICY:
        return "This workspace's settings don't allow it: ask a Slack admin."
    return "Slack didn't take it just now: try again in a minute."
