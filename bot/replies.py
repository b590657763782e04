"""Platform-neutral replies. Adapters render them as Block Kit, Discord embeds or text.

Text may use `backticks` for commands (both Slack and Discord render them); anything a
user typed is passed through untouched, and each adapter escapes it for its platform.
"""

from __future__ import annotations

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
    """A button that runs ``command`` as the person who clicks it."""

    label: str
    command: str
    style: Literal["primary", "danger", "default"] = "default"


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


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
