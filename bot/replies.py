"""Platform-neutral replies. Adapters render them as Block Kit, Discord embeds or text.

Text may use `backticks` for commands (both Slack and Discord render them); anything a
user typed is passed through (each adapter escapes it for its platform), except what looks
like a secret: every Reply masks token-shaped words in the text it shows, so a token pasted
in the wrong place is never repeated back (nor logged by an SDK that logs replies).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Tone(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Button:
    """A button that runs ``command`` as the person who clicks it, or (with ``url``) a link
    that opens a page, e.g. the platform's authorization."""

    label: str
    command: str
    style: Literal["primary", "danger", "default"] = "default"
    url: str = ""


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


MASK = "••••"
# A Toggl API token (32 hex digits; not the signature after a confirmation's "."), and any
# long random-looking word of letters and digits (another service's key, a token's tail).
_SECRET = re.compile(
    r"(?<![\w.])[0-9a-fA-F]{32}(?!\w)"
    r"|(?<![\w.-])(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{24,}(?![\w-])"
)


def mask_secrets(text: str) -> str:
    """``text`` with every token-shaped word replaced by a mask."""
    return _SECRET.sub(MASK, text) if len(text) >= 24 else text


@dataclass(frozen=True, slots=True)
class Reply:
    title: str
    lines: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()
    tone: Tone = Tone.INFO
    public: bool = False  # ephemeral unless a command says otherwise
    shareable: bool = False  # the adapter may offer to post it to the channel
    footer: str = ""  # e.g. the quota warning
    usage: str = ""  # for errors: the right form of the command
    ask_token: bool = False  # the adapter should ask for the token privately (a modal)
    image: bytes | None = None  # PNG
    posted: bool = False  # the bot already posted this in the channel: nothing to answer

    def __post_init__(self) -> None:
        # Buttons are left alone: their commands carry confirmation signatures, never input
        # shown as text.
        for name in ("title", "footer", "usage"):
            object.__setattr__(self, name, mask_secrets(getattr(self, name)))
        object.__setattr__(self, "lines", tuple(mask_secrets(line) for line in self.lines))
        if any(len(f.label) + len(f.value) >= 24 for f in self.fields):
            object.__setattr__(self, "fields", tuple(
                Field(mask_secrets(f.label), mask_secrets(f.value)) for f in self.fields
            ))

    def text(self, width: int | None = None) -> str:
        """Plain text (console, notifications, fallbacks): no Markdown backticks; with a
        ``width`` (a terminal's), fields that don't fit on one line wrap under their label."""
        parts = [self.title, *self.lines]
        label_width = max((len(f.label) for f in self.fields), default=0)
        for field in self.fields:
            if width is None or 2 + label_width + 2 + len(field.value) <= width:
                parts.append(f"  {field.label.ljust(label_width)}  {field.value}")
            else:
                parts += textwrap.wrap(field.label, width, initial_indent="  ",
                                       subsequent_indent="    ")
                parts += textwrap.wrap(field.value, width, initial_indent=" " * 6,
                                       subsequent_indent=" " * 6)
        if self.usage:
            parts.append(f"Usage: {self.usage}")
        if self.buttons:
            parts.append("  ".join(f"[{b.label}: {b.command}]" for b in self.buttons))
        if self.footer:
            parts.append(self.footer)
        return "\n".join(parts).replace("`", "")


def error(message: str, usage: str = "") -> Reply:
    return Reply(title=message, tone=Tone.ERROR, usage=usage)
