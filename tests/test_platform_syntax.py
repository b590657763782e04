"""Each platform's help teaches only what that platform accepts, and it does what it says.

The help a person reads on Slack, on Discord and in the console is walked declaration by
declaration: every example shown is typed back in that platform's way (text after
`/toggl`, or Discord option values) and must make the same command as the example means.
"""

from __future__ import annotations

import re

import pytest

from adapters.console import ConsoleBot
from bot import commands as c
from bot.commands import DECLARATIONS, declaration, find
from bot.core import Core, Invocation
from bot.dialects.options import from_options
from bot.dialects.syntax import Dialect, discord_options, discord_path, example, usage
from bot.dialects.text import parse
from bot.grammar.declare import Declaration
from bot.grammar.params import Words
from bot.replies import Reply

TEXT_MARKS = re.compile(r"(?<![\w`])(?:-?[@#]\w|-?\$(?:\s|$|\w))")
CODE = re.compile(r"`([^`]+)`")


def help_texts(reply: Reply) -> list[str]:
    return [reply.title, *reply.lines, *(f"{f.label} {f.value}" for f in reply.fields)]


async def help_on(core: Core, platform: str, topic: str = "") -> Reply:
    return await core.dispatch(Invocation(platform, "T1", "someone", f"help {topic}".strip()))


def discord_values(decl: Declaration, line: str) -> dict[str, str | bool]:
    """``/toggl edit entry:last project:Website`` -> the option values Discord would send."""
    head = f"/toggl {discord_path(decl)}"
    assert line.startswith(head), line
    rest = line[len(head):]
    names = [o.name for o in discord_options(decl)]
    found = list(re.finditer(r"(?:^|\s)(" + "|".join(map(re.escape, names)) + r"):", rest))
    values: dict[str, str | bool] = {}
    for at, match in enumerate(found):
        end = found[at + 1].start() if at + 1 < len(found) else len(rest)
        value = rest[match.end():end].strip()
        option = next(o for o in discord_options(decl) if o.name == match[1])
        values[match[1]] = value == "True" if option.type == "bool" else value
    assert rest.strip() == "" or found, f"unknown options in {line!r}"
    return values


@pytest.mark.parametrize("decl", DECLARATIONS, ids=lambda d: d.name)
def test_every_example_means_the_same_on_every_platform(decl: Declaration) -> None:
    for text in decl.examples:
        meant = parse(text)
        assert parse(example(text, "slack")) == meant
        assert from_options(decl if type(meant) is decl.command else declaration("add"),
                            discord_values(decl, example(text, "discord"))) == meant


async def test_discord_help_shows_only_discord_syntax(core: Core) -> None:
    everything = await help_on(core, "discord")
    details = [await help_on(core, "discord", d.name) for d in DECLARATIONS]
    for reply in [everything, *details]:
        for text in help_texts(reply):
            assert not TEXT_MARKS.search(text), text
            for span in CODE.findall(text):
                assert span.startswith("/toggl "), span
                decl = next(d for d in DECLARATIONS
                            if span == f"/toggl {discord_path(d)}"
                            or span.startswith(f"/toggl {discord_path(d)} "))
                if "…" not in span and "[" not in span:  # an example, not a usage line
                    from_options(decl, discord_values(decl, span))  # Discord takes it


@pytest.mark.parametrize(("platform", "prefix"), [("slack", "/toggl "), ("console", "")])
async def test_text_help_examples_can_be_typed_as_shown(
    core: Core, platform: Dialect, prefix: str
) -> None:
    for decl in DECLARATIONS:
        reply = await help_on(core, platform, decl.name)
        assert reply.title == f"`{usage(decl, platform)}`"
        shown = [CODE.findall(line)[0] for line in reply.lines if line.startswith("Example:")]
        assert shown == [prefix + text for text in decl.examples]
        for text in shown:
            parse(text)  # no UsageError


def test_discord_option_descriptions_use_no_text_syntax() -> None:
    for decl in DECLARATIONS:
        for option in discord_options(decl):
            param = next(p for p in decl.params if option in p.options())
            if isinstance(param, Words) and param.inline:
                continue  # it does take `@project #tag $`, as Slack does: it says so
            assert not TEXT_MARKS.search(option.help), (decl.name, option.name)
        assert not TEXT_MARKS.search(decl.summary), decl.name


def test_a_line_copied_from_slack_works_in_discords_description() -> None:
    made = from_options(declaration("start"), {"description": "Review @Web shop #meeting $"})
    assert made == parse("start Review @Web shop #meeting $")
    assert made == c.Start("Review", "Web shop", ("meeting",), True)


async def test_usage_errors_show_the_platforms_usage(core: Core) -> None:
    def said(platform: str) -> Invocation:
        return Invocation(platform, "T1", "someone", "edit last")

    assert (await core.dispatch(said("console"))).usage.startswith("edit <id|last> ")
    assert (await core.dispatch(said("slack"))).usage.startswith("/toggl edit <id|last> ")
    assert (await core.dispatch(said("discord"))).usage.startswith("/toggl edit entry:…")


async def test_console_help_fits_80_columns_without_markdown(bot: ConsoleBot) -> None:
    from adapters.console.repl import WIDTH, render

    shown = render(await bot.send("help"), colour=False)
    assert "`" not in shown
    assert max(len(line) for line in shown.splitlines()) <= WIDTH


def test_every_command_a_reply_mentions_is_one_each_platform_takes() -> None:
    """`mention("…")` and `usage("…")` in the core's own text: each must be a real command."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1] / "bot"
    source = "\n".join(p.read_text() for p in root.rglob("*.py"))
    mentioned = re.findall(r"\bmention\(['\"]([^'\"{}]+)['\"]\)", source)
    usages = re.findall(r"\busage\(['\"]([^'\"{}]+)['\"]\)", source)
    assert mentioned and usages
    for text in mentioned:
        named = find(text)
        if named is not None:  # the command itself, e.g. "run `/toggl digest at` here"
            assert example(text, "discord") == f"/toggl {discord_path(named)}"
            continue
        command = parse(text)  # the console and Slack take it as written
        decl = next(d for d in DECLARATIONS if d.command is type(command))
        assert from_options(decl, discord_values(decl, example(text, "discord"))) == command
    for name in usages:
        assert declaration(name)
