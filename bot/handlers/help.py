"""help: generated from the grammar table, so it can never drift from the parser."""

from __future__ import annotations

from bot import commands as c
from bot.context import Context
from bot.grammar import SPECS, spec
from bot.replies import Field, Reply


async def help_(cmd: c.Help, ctx: Context) -> Reply:
    if cmd.topic:
        found = spec(cmd.topic)
        lines = [found.summary]
        lines += [f"Example: `{example}`" for example in found.examples]
        if found.aliases:
            lines.append("Also: " + ", ".join(f"`{a}`" for a in found.aliases))
        return Reply(title=f"`{found.usage}`", lines=tuple(lines))
    return Reply(
        title="togglbot commands",
        fields=tuple(Field(f"`{s.usage}`", s.summary) for s in SPECS),
        lines=("Type `help <command>` for examples.",),
    )
