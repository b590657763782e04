"""What the stand-in remembers: the app, its people, messages, and each interaction's fate."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

APP_ID = 1100000000000000001  # Discord uses the application's id as the bot user's id
GUILD_ID = 1200000000000000001
CHANNEL_ID = 1300000000000000001
BOT_TOKEN = "stand-in-bot-token"  # the stand-in's own, not a real one
EPHEMERAL = 1 << 6
LOADING = 1 << 7  # a deferred response's "thinking…" message
ACK_WITHIN = 3.0  # seconds Discord gives for the first answer
TOKEN_LIFETIME = 15 * 60.0  # seconds an interaction token works for follow-ups

_ids = itertools.count(1400000000000000001)


def snowflake() -> str:
    return str(next(_ids))


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    data = {"id": str(user_id), "username": name, "discriminator": "0", "avatar": None,
            "global_name": None if bot else name.title(), "public_flags": 0, "flags": 0,
            "primary_guild": None}
    return data | ({"bot": True} if bot else {})


BOT_USER = user(APP_ID, "togglbot", bot=True)


class Clock:
    """Monotonic seconds that a test can move forward instead of sleeping."""

    def __init__(self) -> None:
        self.skew = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skew

    def advance(self, seconds: float) -> None:
        self.skew += seconds


@dataclass
class Message:
    """A message as Discord stores it; ``json`` is what the API returns."""

    id: str
    flags: int
    body: dict[str, Any]  # content, embeds, components, attachments (request shapes)
    origin: dict[str, Any] | None = None  # the interaction it answers
    trigger: dict[str, Any] | None = None  # for a form's answer: what opened the form
    edited: bool = False

    @property
    def viewer(self) -> str | None:
        """Who alone sees an ephemeral message: the person who interacted."""
        if not self.ephemeral or self.origin is None:
            return None
        return str((self.origin.get("member") or self.origin)["user"]["id"])

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for row in self.body.get("components") or []
                for c in row.get("components") or [] if c.get("custom_id")]

    def json(self) -> dict[str, Any]:
        interaction = self.origin
        now = datetime.now(UTC).isoformat()
        ids = itertools.count(1)
        components = [
            row | {"id": next(ids),
                   "components": [c | {"id": next(ids)} for c in row["components"]]}
            for row in self.body.get("components") or []
        ]
        data: dict[str, Any] = {
            "id": self.id, "channel_id": str(CHANNEL_ID), "type": 20 if interaction else 0,
            "author": BOT_USER, "content": self.body.get("content") or "",
            "embeds": [{"type": "rich"} | e for e in self.body.get("embeds") or []],
            "components": components, "attachments": self.body.get("attachments") or [],
            "mentions": [], "mention_roles": [], "mention_everyone": False, "pinned": False,
            "tts": False, "timestamp": now, "edited_timestamp": now if self.edited else None,
            "flags": self.flags, "webhook_id": str(APP_ID), "application_id": str(APP_ID),
        }
        if interaction is not None:
            data["interaction_metadata"] = metadata(interaction, self.trigger)
        return data


def metadata(interaction: dict[str, Any], trigger: dict[str, Any] | None = None
             ) -> dict[str, Any]:
    """A message's ``interaction_metadata``: which interaction, by whom, from where."""
    who = (interaction.get("member") or interaction)["user"]
    data = {"id": interaction["id"], "type": interaction["type"], "user": who,
            "authorizing_integration_owners": interaction["authorizing_integration_owners"]}
    if "message" in interaction:
        data["interacted_message_id"] = interaction["message"]["id"]
    if trigger is not None:
        data["triggering_interaction_metadata"] = metadata(trigger)
    return data


@dataclass
class Exchange:
    """One interaction the stand-in sent and everything the bot answered to it."""

    payload: dict[str, Any]
    sent_at: float
    opener: dict[str, Any] | None = None  # for a submitted form: the interaction it answered
    callback: dict[str, Any] | None = None  # the first (and only accepted) callback body
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)
    edits: int = 0
    deprecated: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def type(self) -> int | None:
        return None if self.callback is None else int(self.callback["type"])

    @property
    def settled(self) -> bool:
        """Answered for good: a message, choices or a form, or a defer then its answer."""
        if self.type in (5, 6):
            return self.edits > 0 or bool(self.followups)
        return self.type is not None

    @property
    def messages(self) -> list[Message]:
        return ([self.original] if self.original else []) + self.followups

    @property
    def last(self) -> Message:
        """The message the person reads last: the newest follow-up, else the original."""
        return self.messages[-1]


def interaction_token() -> str:
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)


# The interaction object's fields (receiving-and-responding.mdx), with the spec's schema for
# those that are REST objects too; "?" marks the optional ones.
INTERACTION_FIELDS = {
    "id": None, "application_id": None, "type": None, "data?": None, "guild?": None,
    "guild_id?": None, "channel?": None, "channel_id?": None,
    "member?": "GuildMemberResponse", "user?": "UserResponse", "token": None,
    "version": None, "message?": "MessageResponse", "app_permissions": None, "locale?": None,
    "guild_locale?": None, "entitlements": None, "authorizing_integration_owners": None,
    "context?": None, "attachment_size_limit": None,
}


def interaction_problems(payload: dict[str, Any]) -> list[str]:
    """Where an interaction the stand-in built strays from Discord's documentation."""
    from tests.discord.stand_in.spec import object_problem

    known = {name.rstrip("?") for name in INTERACTION_FIELDS}
    problems = [f"unknown field {k}" for k in payload if k not in known]
    for name, schema in INTERACTION_FIELDS.items():
        key = name.rstrip("?")
        if key not in payload:
            if not name.endswith("?"):
                problems.append(f"missing {key}")
            continue
        if schema:
            value = payload[key]
            if key == "member":  # an interaction's member also carries its permissions
                value = {k: v for k, v in value.items() if k != "permissions"}
            problems.append(object_problem(schema, value, key) or "")
    if ("member" in payload) == ("user" in payload):
        problems.append("exactly one of member (in a server) or user (in a DM)")
    channel = payload.get("channel")
    if channel is not None:
        kind = "PrivateChannelResponse" if channel["type"] == 1 else "GuildChannelResponse"
        problems.append(object_problem(kind, channel, "channel") or "")
    return [p for p in problems if p]
