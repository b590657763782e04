"""Message bodies: what Discord refuses in a message, and how it stores one."""

from __future__ import annotations

from typing import Any

from tests.discord.stand_in.state import EPHEMERAL, LOADING, Message, snowflake
from tests.discord.stand_in.wire import error, form

SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2 = 4, 4096, 8192, 32768
CREATE_FLAGS = (SUPPRESS_EMBEDS | EPHEMERAL | IS_COMPONENTS_V2 | IS_VOICE_MESSAGE
                | SUPPRESS_NOTIFICATIONS)
FOLLOWUP_FLAGS = SUPPRESS_EMBEDS | EPHEMERAL | IS_COMPONENTS_V2 | SUPPRESS_NOTIFICATIONS
EDIT_FLAGS = SUPPRESS_EMBEDS | IS_COMPONENTS_V2
EMBEDS_TOTAL_MAX = 6000


def check_flags(body: dict[str, Any], allowed: int, where: list[str]) -> None:
    if (body.get("flags") or 0) & ~allowed:
        raise form(where, "MESSAGE_FLAGS_INVALID",
                   f"Flags {body['flags']} are not allowed here (allowed: {allowed})")


def check(body: dict[str, Any], files: dict[str, int], where: list[str], *, create: bool
          ) -> None:
    """Refuses an empty message, oversized embeds, duplicate custom_ids, bad buttons and
    embeds that show a file that was not uploaded."""
    if create and not any(body.get(k) for k in ("content", "embeds", "components",
                                                "poll")) and not files:
        raise error(400, 50006, "Cannot send an empty message")
    total = sum(_embed_size(e) for e in body.get("embeds") or [])
    if total > EMBEDS_TOTAL_MAX:
        raise form([*where, "embeds"], "MAX_EMBED_SIZE_EXCEEDED",
                   "Embed size exceeds maximum size of 6000")
    ids = [c.get("custom_id") for row in body.get("components") or []
           for c in row.get("components") or [] if c.get("custom_id")]
    if len(ids) != len(set(ids)):
        raise form([*where, "components"], "COMPONENT_CUSTOM_ID_DUPLICATED",
                   "Component custom id cannot be duplicated")
    for index, row in enumerate(body.get("components") or []):
        for item in row.get("components") or []:
            link = item.get("style") == 5
            if item.get("type") == 2 and link == bool(item.get("custom_id")):
                raise form([*where, "components", str(index)], "BUTTON_COMPONENT_INVALID",
                           "A link button has a url and no custom_id; others the reverse")
    for image in _attachment_refs(body):
        if image not in files and image not in _kept(body):
            raise form([*where, "embeds"], "EMBED_ATTACHMENT_UNKNOWN",
                       f"attachment://{image} names no uploaded file")


def content(body: dict[str, Any], files: dict[str, int], base: str) -> dict[str, Any]:
    """What is stored of a message body; uploaded files become attachments."""
    kept = {k: body[k] for k in ("content", "embeds", "components") if body.get(k)}
    kept["attachments"] = [
        {"id": snowflake(), "filename": name, "size": size,
         "url": f"{base}/attachments/{name}", "proxy_url": f"{base}/p/{name}"}
        for name, size in files.items()
    ]
    return kept


def edit(message: Message, body: dict[str, Any], files: dict[str, int], base: str) -> None:
    """Applies an edit: given fields replace the old ones; "thinking…" ends."""
    new = content(body, files, base)
    for key in ("content", "embeds", "components"):
        if key in body:
            message.body[key] = body[key]
    if "attachments" in body or files:
        keep = {str(a.get("id")) for a in body.get("attachments") or []}
        old = [a for a in message.body.get("attachments", []) if a["id"] in keep]
        message.body["attachments"] = old + new["attachments"]
    message.flags &= ~LOADING
    message.edited = True


def _embed_size(embed: dict[str, Any]) -> int:
    parts = [embed.get("title"), embed.get("description"), (embed.get("footer") or {}).get("text"),
             (embed.get("author") or {}).get("name")]
    parts += [f.get(k) for f in embed.get("fields") or [] for k in ("name", "value")]
    return sum(len(p or "") for p in parts)


def _attachment_refs(body: dict[str, Any]) -> list[str]:
    urls = [(e.get(k) or {}).get("url") or "" for e in body.get("embeds") or []
            for k in ("image", "thumbnail")]
    return [u.removeprefix("attachment://") for u in urls if u.startswith("attachment://")]


def _kept(body: dict[str, Any]) -> set[str]:
    return {a.get("filename") or "" for a in body.get("attachments") or []}
