"""The `togglbot` command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.config import Settings
from bot.errors import TogglbotError

log = logging.getLogger("togglbot")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `togglbot` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=_log_level("WARNING" if args.command in QUIET else "INFO"),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # One line per HTTP request is noise at INFO; our own command log says what happened.
    for chatty in ("httpx", "httpcore", "aiosqlite"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        result: int = args.run(args)
        return result
    except (TogglbotError, ValidationError) as exc:
        message = exc.message if isinstance(exc, TogglbotError) else _settings_error(exc)
        print(f"togglbot: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


QUIET = frozenset({"console", "demo", "db", "keys", "forget", "init"})
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(default: str) -> str:
    """LOG_LEVEL from the environment or ./.env, like every other setting."""
    from dotenv import dotenv_values

    wanted = os.environ.get("LOG_LEVEL") or dotenv_values(".env").get("LOG_LEVEL") or default
    if wanted.strip().upper() in LEVELS:
        return wanted.strip().upper()
    print(f"togglbot: LOG_LEVEL must be one of {', '.join(LEVELS)}; using {default}",
          file=sys.stderr)
    return default


def _settings_error(exc: ValidationError) -> str:
    names = ", ".join(str(e["loc"][0]) for e in exc.errors() if e.get("loc"))
    return f"invalid configuration in: {names}"


def _console(args: argparse.Namespace) -> int:
    from adapters.console import ConsoleBot, run_repl
    from bot.app import build_core
    from bot.crypto import cipher_from
    from bot.migrate import upgrade

    settings = Settings()
    cipher_from(settings)  # a missing key stops us before the database file is created
    upgrade(settings.DATABASE_URL)

    async def go() -> None:
        async with build_core(settings, one_person=True) as core:
            print("togglbot console. Type `login` to connect, `help` for commands, quit to leave.")
            await run_repl(ConsoleBot(core, user_id=os.environ.get("USER", "local")))

    asyncio.run(go())
    return 0


def _demo(args: argparse.Namespace) -> int:
    from adapters.console import ConsoleBot, run_repl
    from bot.demo import WELCOME, demo_core

    async def go() -> None:
        async with demo_core() as (core, token):
            bot = ConsoleBot(core, user_id="demo")
            await bot.login(token)
            print(WELCOME)
            await run_repl(bot)

    asyncio.run(go())
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.migrate import upgrade

    upgrade(Settings().DATABASE_URL, args.revision)
    print(f"database at {args.revision}")
    return 0


def _keys_generate(args: argparse.Namespace) -> int:
    from bot.crypto import TokenCipher

    print(TokenCipher.generate_key())
    return 0


def _forget(args: argparse.Namespace) -> int:
    from bot.app import open_app
    from bot.domain import UserKey

    settings = Settings()
    if not _schema_is_current("forget", settings):
        return 2

    async def go() -> bool:
        key = UserKey(args.platform, args.team, args.user)
        async with open_app(settings) as app:
            # Their status permission too (not revoked at Slack: no Slack client here).
            linked = await app.status_links.delete(key)
            return await app.accounts.delete_account(key) or linked

    if asyncio.run(go()):
        print("deleted the person's token and everything stored for them")
        return 0
    print("no such person", file=sys.stderr)
    return 1


def _keys_rotate(args: argparse.Namespace) -> int:
    from bot.app import open_app
    from bot.crypto import Rotation

    settings = Settings()
    if not _schema_is_current("keys rotate", settings):
        return 2

    async def go() -> Rotation:
        async with open_app(settings) as app:
            return (await app.accounts.rotate_keys() + await app.installations.rotate_keys()
                    + await app.status_links.rotate_keys())

    done = asyncio.run(go())
    print(f"re-encrypted {done.rotated} token(s) and installation(s) with the newest key")
    if not done.unreadable:
        return 0
    for who in done.unreadable:
        print(f"unreadable with every key in TOKEN_ENCRYPTION_KEY: {who}", file=sys.stderr)
    print(f"togglbot: {len(done.unreadable)} row(s) could not be read: add the key they were "
          "encrypted with (comma-separated, after the newest) and run this again, or have "
          "those people log in again.", file=sys.stderr)
    return 1


def _init(args: argparse.Namespace) -> int:
    from bot.envfile import write_env

    print(write_env())
    return 0


def _schema_is_current(process: str, settings: Settings) -> bool:
    """Processes refuse an unmigrated database up front, not per request (and create none)."""
    from bot.crypto import cipher_from
    from bot.migrate import current, head

    cipher_from(settings)  # the key first: it is the one setting nobody can recover

    if current(settings.DATABASE_URL) == head():
        return True
    print(f"togglbot {process}: the database schema is not current; run `togglbot db upgrade` "
          "(the release process) first.", file=sys.stderr)
    return False


def _web(args: argparse.Namespace) -> int:
    from adapters.slack import check_app_token
    from adapters.web import serve

    settings = Settings()
    if not _schema_is_current("web", settings):
        return 2
    asyncio.run(check_app_token(settings))  # Socket Mode: a refused token is one line, now
    return serve(settings)


def _run(args: argparse.Namespace) -> int:
    from adapters.run import run_all

    return run_all(Settings())


def _discord(args: argparse.Namespace) -> int:
    from adapters.discord import run

    settings = Settings()
    if settings.DISCORD_TOKEN is not None and not _schema_is_current("discord", settings):
        return 2
    return run(settings)


def _discord_sync(args: argparse.Namespace) -> int:
    from adapters.discord import sync

    return sync(Settings(), guild_id=args.guild)


def _worker(args: argparse.Namespace) -> int:
    settings = Settings()
    if not _schema_is_current("worker", settings):
        return 2
    from adapters.worker import run  # imports the Slack and Discord SDKs: only when needed

    return run(settings)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("togglbot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="togglbot", description="Toggl Track from chat.")
    parser.add_argument("--version", action="version", version=f"togglbot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser(
        "init", help="write ./.env with a new TOKEN_ENCRYPTION_KEY (never replaces one)"
    ).set_defaults(run=_init)
    sub.add_parser("demo", help="try it against a built-in Toggl emulator").set_defaults(
        run=_demo
    )
    sub.add_parser("console", help="use your real Toggl account from the terminal").set_defaults(
        run=_console
    )

    for name, run, text in (
        ("web", _web, "serve Slack over HTTP on $PORT, with /healthz"),
        ("run", _run, "everything the configuration enables, in one process"),
        ("worker", _worker, "the daily digest scheduler"),
    ):
        sub.add_parser(name, help=text).set_defaults(run=run)

    discord = sub.add_parser("discord", help="the Discord gateway client")
    discord.set_defaults(run=_discord)
    discord_sub = discord.add_subparsers(dest="discord_command")
    sync = discord_sub.add_parser("sync", help="register the /toggl commands with Discord")
    sync.add_argument("--guild", type=int, default=None, help="sync to one server only (instant)")
    sync.set_defaults(run=_discord_sync)

    forget = sub.add_parser("forget", help="admin: delete a person and all their data")
    forget.add_argument("platform", choices=["slack", "discord", "console"])
    forget.add_argument("team", help="Slack team id, `discord`, or `console`")
    forget.add_argument("user", help="the platform's user id")
    forget.set_defaults(run=_forget)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    up = db.add_parser("upgrade", help="apply migrations (alembic upgrade)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(run=_db_upgrade)

    keys = sub.add_parser("keys", help="token encryption keys").add_subparsers(
        dest="keys", required=True
    )
    keys.add_parser("generate", help="print a new key").set_defaults(run=_keys_generate)
    keys.add_parser("rotate", help="re-encrypt every token with the newest key").set_defaults(
        run=_keys_rotate
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
