"""Issue 15 item 12: the console in a real terminal (a pty): Ctrl-C cancels the line being
typed, aborts the hidden token prompt cleanly, and SIGTERM leaves."""

from __future__ import annotations

import fcntl
import os
import platform
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.processes.helpers import STARTS_WITHIN, STOPS_WITHIN, base_env

PROMPT = "toggl> "
CTRL_C = "\x03"
READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}.get(platform.machine(), "0")


class Terminal:
    """`togglbot console` with a pty as its terminal; we play the person typing."""

    def __init__(self, tmp_path: Path) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "console"], env=base_env(tmp_path, TERM="dumb"),
            cwd=tmp_path, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
            # The pty becomes its controlling terminal: typing ^C is a real Ctrl-C (the
            # terminal drops the half-typed line and sends SIGINT), as for a person.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, within: float = STARTS_WITHIN) -> None:
        """Read until ``text`` appears after what was matched before."""
        deadline = time.monotonic() + within
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} in:\n{self.seen}"
            if select.select([self.master], [], [], left)[0]:
                try:
                    self.seen += os.read(self.master, 4096).decode(errors="replace")
                except OSError:  # the other side closed
                    assert text in self.seen, f"no {text!r} in:\n{self.seen}"
        self.seen = self.seen.split(text, 1)[1]

    def wait_reading(self) -> None:
        """Until the console is blocked reading the terminal. A signal that lands between
        the prompt and the read is only seen once the read returns: a person is never
        that fast, a test is."""
        deadline = time.monotonic() + STARTS_WITHIN
        syscall = Path(f"/proc/{self.process.pid}/syscall")
        while syscall.read_text().split()[0] != READ_SYSCALL:
            assert time.monotonic() < deadline, "the console never waited for input"
            time.sleep(0.01)

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    def close(self) -> str:
        try:
            self.process.wait(timeout=STOPS_WITHIN)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            with_rest = self.seen
            try:
                while select.select([self.master], [], [], 0.1)[0]:
                    with_rest += os.read(self.master, 4096).decode(errors="replace")
            except OSError:
                pass
            os.close(self.master)
        return with_rest


def test_ctrl_c_cancels_the_line_and_the_token_prompt(tmp_path: Path) -> None:
    term = Terminal(tmp_path)
    transcript = ""
    try:
        term.expect(PROMPT)
        term.wait_reading()
        term.type("hel")  # half a line, then Ctrl-C: dropped, a fresh prompt
        term.type(CTRL_C)
        term.expect(PROMPT)
        term.type("help\n")  # the next command runs (it used to be swallowed)
        term.expect("togglbot commands")
        term.expect(PROMPT)
        term.type("login\n")
        term.expect("Toggl API token (hidden): ")
        term.wait_reading()
        term.type("abc")
        term.type(CTRL_C)
        term.expect("cancelled")
        term.expect(PROMPT)
        term.type("help\n")
        term.expect("togglbot commands")
        term.expect(PROMPT)
        term.wait_reading()
        term.signal(signal.SIGTERM)
    finally:
        transcript = term.close()
    assert term.process.returncode == 0, transcript
    assert "Traceback" not in transcript and "CancelledError" not in transcript, transcript
