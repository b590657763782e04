"""help: generated from the declarations, in the words of the platform that asks."""

from __future__ import annotations

from bot import commands as c
from bot.context import Context
from bot.dialects.syntax import dialect_of
from bot.grammar.declare import DECLARATIONS, declaration, handles
from bot.mention import mention, usage
from bot.replies import Field, Reply


@handles(c.Help)
async def help_(cmd: c.Help, ctx: Context) -> Reply:
    if cmd.topic:
        found = declaration(cmd.topic)
        lines = [found.summary]
        lines += [f"Example: `{mention(example)}`" for example in found.examples]
        if found.aliases and dialect_of(ctx.key.platform) != "discord":  # no aliases there
            lines.append("Also: " + ", ".join(f"`{a}`" for a in found.aliases))
        return Reply(title=f"`{usage(found.name)}`", lines=tuple(lines))
    return Reply(
        title="togglbot commands",
        fields=tuple(Field(f"`{usage(d.name)}`", d.summary) for d in DECLARATIONS),
        lines=(f"For examples: `{mention('help start')}` (any command).",),
    )
