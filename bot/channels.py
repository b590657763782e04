"""A channel's default project and tags: what `start` and "Track this message" use there.

Set by anyone in the channel with `channel project @Website #tag`; it costs no Toggl
request (the name is checked against the setter's cached catalog). Stored by name, not id:
each person's own catalog resolves it when they start, as if they had typed `@Website`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.digest.model import Channel


@dataclass(frozen=True, slots=True)
class ChannelDefault:
    project: str
    tags: tuple[str, ...] = ()
    set_by: str = ""  # the chat user id of whoever set it (the reply names them)


class ChannelStore(Protocol):
    """Channel defaults; every method is its own short transaction."""

    async def get_default(self, channel: Channel) -> ChannelDefault | None: ...

    async def set_default(self, channel: Channel, default: ChannelDefault) -> None: ...

    async def clear_default(self, channel: Channel) -> bool:
        """False when the channel had none."""
        ...
