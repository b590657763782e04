"""The console adapter: one local user, the same commands as in chat."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from pydantic import SecretStr

from bot.commands import Login
from bot.core import Core, Invocation
from bot.replies import Reply, Tone

PROMPT = "toggl> "
WIDTH = 80  # a terminal's width, for help
QUIT = frozenset({"quit", "exit", ":q"})
_COLOURS = {Tone.SUCCESS: "32", Tone.WARNING: "33", Tone.ERROR: "31", Tone.INFO: "1"}


class ConsoleBot:
    """Push a line in, get the reply out: the whole adapter, usable from tests."""

    def __init__(self, core: Core, user_id: str = "local", team_id: str = "console") -> None:
        self.core = core
        self.user_id = user_id
        self.team_id = team_id

    def invocation(self, text: str) -> Invocation:
        return Invocation("console", self.team_id, self.user_id, text, channel_id="console")

    async def send(self, text: str) -> Reply:
        return await self.core.dispatch(self.invocation(text))

    async def login(self, token: str) -> Reply:
        """The private path for a token (the console's stand-in for a modal)."""
        return await self.core.execute(self.invocation("").key, Login(SecretStr(token)))


def _without_token(line: str) -> str:
    """Echo piped input for a readable transcript, but never a token."""
    words = line.split()
    if words and words[0].lower() == "login" and len(words) > 1:
        return "login ••••"
    return line


def render(reply: Reply, colour: bool) -> str:
    text = reply.text(WIDTH)
    if not colour:
        return text
    title, _, rest = text.partition("\n")
    code = _COLOURS[reply.tone]
    return f"\x1b[{code}m{title}\x1b[0m" + (f"\n{rest}" if rest else "")


async def run_repl(
    bot: ConsoleBot,
    *,
    read: Callable[[str], str] = input,
    ask_secret: Callable[[str], str] = getpass.getpass,
    out: TextIO = sys.stdout,
) -> None:
    """Read commands until EOF or `quit`; a token is asked for without echo."""
    colour = out.isatty()
    interactive = sys.stdin.isatty()
    while True:
        try:
            line = read(PROMPT if interactive else "")
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return
        if line.strip().lower() in QUIT:
            return
        if not line.strip():
            continue
        if not interactive:
            print(f"{PROMPT}{_without_token(line)}", file=out)
        reply = await bot.send(line)
        if reply.ask_token and interactive:
            token = ask_secret("Toggl API token (hidden): ").strip()
            if token:
                reply = await bot.login(token)
        print(render(reply, colour), file=out, flush=True)
