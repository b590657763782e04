"""Reply -> Block Kit. Escapes what people typed and cuts everything to Slack's limits.

Slack rejects a whole message when one limit is exceeded, so every text is clipped and
long replies lose their tail (with a note) instead of failing to arrive.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from bot.replies import Button, Reply, Tone

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 3000  # a section's text, a context element
MAX_FIELDS = 10  # per section
MAX_FIELD_TEXT = 2000
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10

RUN_ACTION_PREFIX = "run-"  # run-0, run-1 ...: the button's value is the command text
LINK_ACTION_PREFIX = "link-"  # a button that opens a page (an authorization)
MAX_BUTTON_URL = 3000  # Slack's limit for a button's url
OWNER_MARK = "."  # run-0.U123: only U123 may use it (a reminder in their DM)
SHARE_ACTION = "share"

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ICONS = {Tone.SUCCESS: ":white_check_mark: ", Tone.WARNING: ":warning: ", Tone.ERROR: ":x: "}


def escape(text: str) -> str:
    """Make text inert in mrkdwn: `<!channel>` or `<@U123>` typed by someone never pings."""
    return text.translate(_ESCAPES)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str, limit: int = MAX_TEXT) -> Block:
    # verbatim: Slack must not turn bare names or "@here" into links or mentions either.
    return {"type": "mrkdwn", "text": clip(text, limit), "verbatim": True}


def plain(text: str, limit: int = MAX_TEXT) -> Block:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def sections(lines: Iterable[str]) -> list[Block]:
    """Escaped lines packed into as few sections as the 3000-character limit allows."""
    blocks: list[Block] = []
    chunk: list[str] = []
    size = 0
    for line in (clip(escape(raw), MAX_TEXT) for raw in lines):
        if chunk and size + 1 + len(line) > MAX_TEXT:
            blocks.append(section("\n".join(chunk)))
            chunk, size = [], 0
        size += len(line) + (1 if chunk else 0)
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def button(action_id: str, label: str, value: str, style: str = "default") -> Block:
    block: Block = {
        "type": "button",
        "action_id": action_id,
        "text": plain(label, MAX_BUTTON_TEXT),
        "value": clip(value, MAX_BUTTON_VALUE),
    }
    if style in ("primary", "danger"):
        block["style"] = style
    return block


def link_button(action_id: str, label: str, url: str, style: str = "default") -> Block:
    """Opens ``url`` in the browser; Slack still tells us of the click (acked, nothing run)."""
    block = button(action_id, label, "", style)
    del block["value"]
    block["url"] = url[:MAX_BUTTON_URL]
    return block


def actions(
    buttons: Iterable[Button], share: str | None = None, owner: str = ""
) -> list[Block]:
    bound = f"{OWNER_MARK}{owner}" if owner else ""
    elements = [
        link_button(f"{LINK_ACTION_PREFIX}{i}", b.label, b.url, b.style) if b.url
        else button(f"{RUN_ACTION_PREFIX}{i}{bound}", b.label, b.command, b.style)
        for i, b in enumerate(buttons)
    ]
    if share:
        elements.append(button(SHARE_ACTION, "Share to channel", share))
    return [{"type": "actions", "elements": elements[:MAX_ACTION_ELEMENTS]}] if elements else []


def reply_blocks(
    reply: Reply,
    *,
    share: str | None = None,
    buttons: bool = True,
    limit: int = MAX_MESSAGE_BLOCKS,
    owner: str = "",
) -> list[Block]:
    """The whole reply; ``share`` is the command text a Share button re-runs for the channel;
    ``owner`` binds the buttons to one person (a reminder)."""
    body = [section(_ICONS.get(reply.tone, "") + f"*{escape(reply.title)}*")]
    body += sections(reply.lines)
    body += [
        {
            "type": "section",
            "fields": [
                mrkdwn(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD_TEXT) for f in batch
            ],
        }
        for batch in _batched(reply.fields, MAX_FIELDS)
    ]
    tail = [context(f"Usage: `{escape(reply.usage)}`")] if reply.usage else []
    tail += [context(escape(reply.footer))] if reply.footer else []
    controls = actions(reply.buttons, share, owner) if buttons else []
    room = limit - len(tail) - len(controls)
    if len(body) > room:
        hidden = len(body) - (room - 1)
        body = body[: room - 1]
        body.append(context(f"…and {hidden} more not shown: Slack limits how much fits."))
    return body + tail + controls


def message(
    reply: Reply, *, share: str | None = None, buttons: bool = True, owner: str = ""
) -> dict[str, Any]:
    """Arguments for respond()/chat.postMessage: blocks plus the notification text."""
    return {
        "text": clip(escape(reply.title), MAX_TEXT),
        "blocks": reply_blocks(reply, share=share, buttons=buttons, owner=owner),
    }
