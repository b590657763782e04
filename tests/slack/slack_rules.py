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

from adapters.slack.scopes import BOT_SCOPES

# The scope each method needs (bot tokens); methods not listed need none of ours.
METHOD_SCOPES = {
    "chat.postMessage": "chat:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}


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
