"""The console adapter: one local user, the same commands as in chat."""

from __future__ import annotations

import asyncio
import getpass
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

from pydantic import SecretStr

from bot.commands import Login
from bot.core import Core, Invocation
from bot.replies import Reply, Tone

PROMPT = "toggl> "
WIDTH = 80  # a terminal's width, for help
QUIT = frozenset({"quit", "exit", ":q"})
_COLOURS = {Tone.SUCCESS: "32", Tone.WARNING: "33", Tone.ERROR: "31", Tone.INFO: "1"}
T = TypeVar("T")


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
    """Read commands until EOF or `quit`; a token is asked for without echo.

    Ctrl-C drops the line being typed, cancels the command running, or aborts the token
    prompt, like a shell; Ctrl-D or `quit` leaves.
    """
    colour = out.isatty()
    interactive = sys.stdin.isatty()
    with _ctrl_c_interrupts_reading():
        while True:
            try:
                line = read(PROMPT if interactive else "")
            except EOFError:
                print(file=out)
                return
            except KeyboardInterrupt:
                print(file=out)
                continue
            if line.strip().lower() in QUIT:
                return
            if not line.strip():
                continue
            if not interactive:
                print(f"{PROMPT}{_without_token(line)}", file=out)
            reply = await _cancellable(bot.send(line))
            if reply is not None and reply.ask_token and interactive:
                reply = await _ask_token(bot, ask_secret, out)
            if reply is None:
                print("cancelled", file=out, flush=True)
                continue
            print(render(reply, colour), file=out, flush=True)


async def _ask_token(
    bot: ConsoleBot, ask_secret: Callable[[str], str], out: TextIO
) -> Reply | None:
    try:
        token = ask_secret("Toggl API token (hidden): ").strip()
    except (KeyboardInterrupt, EOFError):
        print(file=out)
        return None
    if not token:
        return None
    return await _cancellable(bot.login(token))


async def _cancellable(work: Awaitable[T]) -> T | None:
    """Run ``work``; Ctrl-C cancels it (None) instead of the whole console, and SIGTERM
    cancels it and leaves."""
    task = asyncio.ensure_future(work)
    if not _main_thread():
        return await task
    loop = asyncio.get_running_loop()
    why: list[int] = []

    def interrupt(sig: int) -> None:
        why.append(sig)
        task.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, interrupt, sig)
    try:
        return await task
    except asyncio.CancelledError:
        if not why:
            raise  # cancelled from outside: let it through
        if signal.SIGTERM in why:
            raise SystemExit(0) from None
        return None
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        _interrupt_reading()


@contextmanager
def _ctrl_c_interrupts_reading() -> Iterator[None]:
    """asyncio.run's own Ctrl-C handler only cancels the main task at its next await: while
    input() blocks that is the *next* command, which was then silently dropped. A plain
    KeyboardInterrupt interrupts the read itself; SIGTERM leaves from there too."""
    if not _main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    _interrupt_reading()
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def _interrupt_reading() -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _leave)


def _leave(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
