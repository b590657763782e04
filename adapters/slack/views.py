"""Modals and the App Home: the token modal, and the Home tab built from the overview."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from adapters.slack.blocks import (
    MAX_VIEW_BLOCKS,
    Block,
    clip,
    context,
    escape,
    plain,
    reply_blocks,
    sections,
)
from bot.commands import DECLARATIONS, declaration
from bot.dialects.syntax import usage
from bot.replies import Reply, Tone

LOGIN_CALLBACK = "toggl_login"
# Block and action ids of the token input (ids, not secrets).
TOKEN_BLOCK = "toggl_token"  # noqa: S105
TOKEN_ACTION = "toggl_token"  # noqa: S105
MAX_VIEW_TITLE = 24
MAX_METADATA = 3000
MAX_INLINE_ERROR = 150


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a modal was opened from, so the result can be confirmed there afterwards."""

    response_url: str = ""
    home: bool = False

    def dump(self) -> str:
        text = json.dumps(asdict(self))
        # A response_url is ~100 characters; drop it rather than exceed the limit.
        return text if len(text) <= MAX_METADATA else json.dumps({"home": self.home})

    @classmethod
    def load(cls, text: str | None) -> Origin:
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        return cls(str(data.get("response_url") or ""), bool(data.get("home")))


def _modal(title: str, blocks: list[Block], **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": LOGIN_CALLBACK,
        "title": plain(title, MAX_VIEW_TITLE),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
        **extra,
    }


def login_modal(reply: Reply, origin: Origin) -> dict[str, Any]:
    """Ask for the token privately; ``reply`` says why (first time, or rejected)."""
    token_input = {
        "type": "input",
        "block_id": TOKEN_BLOCK,
        "label": plain("Toggl API token"),
        "element": {
            "type": "plain_text_input",
            "action_id": TOKEN_ACTION,
            "placeholder": plain("Paste the token from your Toggl profile"),
            "max_length": 128,
        },
        "hint": plain("Checked with Toggl, then stored encrypted. It is never shown again."),
    }
    return _modal(
        "Connect Toggl",
        [*reply_blocks(reply, buttons=False), token_input],
        submit=plain("Connect", MAX_VIEW_TITLE),
        close=plain("Cancel", MAX_VIEW_TITLE),
        private_metadata=origin.dump(),
    )


def checking_modal() -> dict[str, Any]:
    """Shown while a slow Toggl answer keeps us from replying within Slack's 3 seconds."""
    return _modal("Connect Toggl", sections(["Checking your token with Toggl…"]))


def result_modal(reply: Reply) -> dict[str, Any]:
    return _modal(
        "Connect Toggl",
        reply_blocks(reply, buttons=False),
        close=plain("Done", MAX_VIEW_TITLE),
    )


def inline_error(reply: Reply) -> str:
    return clip(reply.title, MAX_INLINE_ERROR)


def command_guide() -> list[str]:
    """One line per command, from the declarations (never a copy of them)."""
    lines = []
    for command in DECLARATIONS:
        also = f" (also `{'`, `'.join(command.aliases)}`)" if command.aliases else ""
        lines.append(f"`{usage(command, 'slack')}`{also}\n{command.summary}")
    return lines


def home_view(overview: Reply, notice: Reply | None = None) -> dict[str, Any]:
    """The Home tab: what just happened, the status panel, then how to use the commands."""
    blocks: list[Block] = []
    if notice is not None:
        icon = ":x: " if notice.tone is Tone.ERROR else ""
        blocks.append(context(icon + escape(notice.title)))
    blocks += reply_blocks(overview)
    connected = not any(b.command == "login" for b in overview.buttons)
    if connected and not any(b.command == "stop" for b in overview.buttons):
        start = usage(declaration("start"), "slack")
        blocks.append(context(escape(f"Start a timer: `{start}`")))
    blocks.append({"type": "divider"})
    blocks.append({"type": "header", "text": plain("Commands", 150)})
    blocks += sections(command_guide())
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
