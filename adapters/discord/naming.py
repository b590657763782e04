"""Where each grammar command lives under `/toggl`, and its description from the grammar.

Discord allows 25 subcommands per command and the grammar has more, so the commands whose
first word starts a family are subcommand groups, read as typed: `/toggl add client`,
`/toggl digest at` (the bare `add`, a finished entry, is `/toggl add entry`). Other
multi-word commands can't hold spaces: `rename client` is `/toggl rename-client`.
"""

from __future__ import annotations

from adapters.discord.render import cut
from bot.grammar import spec

GROUPS = {
    "add": "Add a finished entry, a client, a project or a tag.",
    "digest": "This channel's daily digest of who tracked what.",
}
DESCRIPTION_MAX = 100  # Discord's limit for command and option descriptions


def describe(name: str) -> str:
    """A subcommand's description: the first sentence of its summary in the grammar table.

    A sentence too long for Discord ends at its last comma that fits, so it stays the
    grammar's words.
    """
    sentence = spec(name).summary.replace("`", "").split(". ")[0].rstrip(".")
    if len(sentence) >= DESCRIPTION_MAX:
        head, comma, _ = sentence[: DESCRIPTION_MAX - 1].rpartition(", ")
        sentence = head if comma else sentence
    return cut(sentence + ".", DESCRIPTION_MAX)


def subcommand_name(spec_name: str) -> str:
    """The path under `/toggl`: `add client` -> "add client" (a group), `tags`, `rename-client`."""
    first, _, rest = spec_name.partition(" ")
    if first in GROUPS:
        return f"{first} {rest or 'entry'}"
    return spec_name.replace(" ", "-")


def leaf(spec_name: str) -> str:
    """The subcommand's own name (inside its group, if any)."""
    return subcommand_name(spec_name).rpartition(" ")[2]
