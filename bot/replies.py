"""Platform-neutral replies. Adapters render them as Block Kit, Discord embeds or text.

Text may use `backticks` for commands (both Slack and Discord render them); anything a
user typed is passed through untouched, and each adapter escapes it for its platform.
"""

from __future__ import annotations

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

    def text(self) -> str:
        """Plain-text rendering (console, notifications, fallbacks)."""
        parts = [self.title, *self.lines]
        width = max((len(f.label) for f in self.fields), default=0)
        parts += [f"  {f.label.ljust(width)}  {f.value}" for f in self.fields]
        if self.usage:
            parts.append(f"Usage: `{self.usage}`")
        if self.buttons:
            parts.append("  ".join(f"[{b.label}: `{b.command}`]" for b in self.buttons))
        if self.footer:
            parts.append(self.footer)
        return "\n".join(parts)


def error(message: str, usage: str = "") -> Reply:
    return Reply(title=message, tone=Tone.ERROR, usage=usage)
