"""A terminal adapter: try togglbot locally, and drive the core from tests."""

from adapters.console.repl import ConsoleBot, run_repl

__all__ = ["ConsoleBot", "run_repl"]
