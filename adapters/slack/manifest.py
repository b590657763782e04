"""The Slack app manifest, generated so the usage hint comes from the declarations.

``python -m adapters.slack.manifest https://your.host > my-slack-manifest.yml`` prints the
manifest people paste into https://api.slack.com/apps ("From an app manifest");
``--socket-mode`` one with no request URLs at all. ``--write-tracked`` regenerates the
committed ``slack-manifest.yml`` (placeholder host; a test keeps it equal to this output).
Redirecting a custom manifest into the committed file by accident restores it instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from adapters.slack.listeners.commands import COMMAND
from adapters.slack.scopes import BOT_SCOPES, USER_SCOPES
from adapters.slack.status import STATUS_REDIRECT_PATH
from adapters.slack.track import SHORTCUT
from bot.commands import DECLARATIONS

PLACEHOLDER_HOST = "https://togglbot.example.com"
TRACKED = Path(__file__).resolve().parents[2] / "slack-manifest.yml"
BOT_EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")
OBJECTS = ("client",)  # `rename client`, `archive client`…: verbs on one thing
MAX_USAGE_HINT = 300
SHOWN_PARAMS = 3  # a guard; Slack shows the hint on one line, cut to the field


def usage_hint() -> str:
    """``start [description] [@project] … | stop | … | digest …``: the first command in
    full, then every command's name; a family (`digest at/join/…`, `rename/archive/…
    client`) once."""
    first, *rest = DECLARATIONS
    families: dict[str, list[str]] = {}
    for decl in rest:
        words = decl.name.split()
        head = words[-1] if words[-1] in OBJECTS and words[0] != "add" else words[0]
        families.setdefault(head, []).append(decl.name)
    names = [found[0] if len(found) == 1
             else f"{'|'.join(n.split()[0] for n in found)} {head}" if head in OBJECTS
             else f"{head} …" for head, found in families.items()]
    # The first command shows its main parameters: the hint has one line.
    shown = " ".join([first.name, *(p.usage() for p in first.params[:SHOWN_PARAMS])])
    hint = " | ".join([f"{shown} …", *names])
    return hint if len(hint) <= MAX_USAGE_HINT else hint[: MAX_USAGE_HINT - 1] + "…"


def manifest(host: str = PLACEHOLDER_HOST, *, socket_mode: bool = False) -> dict[str, Any]:
    """Socket Mode: Slack delivers everything over the app's WebSocket, so the manifest
    names no request URL (and no OAuth redirect: a Socket Mode app has one workspace)."""
    url = {} if socket_mode else {"url": f"{host}/slack/events"}
    request_url = {} if socket_mode else {"request_url": f"{host}/slack/events"}
    redirect = {} if socket_mode else {"redirect_urls": [f"{host}/slack/oauth_redirect",
                                                          f"{host}{STATUS_REDIRECT_PATH}"]}
    # `status on` sends people to Slack and back here: it needs a public URL.
    user_scopes = {} if socket_mode else {"user": list(USER_SCOPES)}
    return {
        "display_information": {
            "name": "togglbot",
            "description": "Toggl Track time tracking: start, stop and sum up your timers.",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                # Where the bot tells whoever set a digest up that Slack refused it; people
                # can't write there (the bot reads no messages).
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "togglbot", "always_online": False},
            "slash_commands": [
                {
                    "command": COMMAND,
                    **url,
                    "description": "Track time in your own Toggl account",
                    "usage_hint": usage_hint(),
                    "should_escape": False,
                }
            ],
            "shortcuts": [
                {
                    "name": "Track this message",
                    "type": "message",
                    "callback_id": SHORTCUT,
                    "description": "Start a timer, or add an entry, from this message",
                }
            ],
        },
        "oauth_config": {**redirect, "scopes": {"bot": list(BOT_SCOPES), **user_scopes}},
        "settings": {
            "event_subscriptions": {**request_url, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, **request_url},
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def to_yaml(value: object, indent: int = 0) -> str:
    """Just enough YAML for the manifest: mappings, lists, strings, booleans."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:\n{to_yaml(item, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return "\n".join(lines)
    if isinstance(value, list):
        lines = []
        for item in value:
            text = to_yaml(item, indent + 2).lstrip() if isinstance(item, dict) else _scalar(item)
            lines.append(f"{pad}- {text}")
        return "\n".join(lines)
    return pad + _scalar(value)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def render(host: str = PLACEHOLDER_HOST, *, socket_mode: bool = False) -> str:
    header = (
        "# togglbot's Slack app. Paste at https://api.slack.com/apps -> Create New App ->\n"
        f"# From an app manifest, after replacing {PLACEHOLDER_HOST} with your host.\n"
        "# Generated by `python -m adapters.slack.manifest`; don't edit by hand.\n"
    )
    if socket_mode:
        header = (
            "# togglbot's Slack app for Socket Mode (no public URL). Paste at\n"
            "# https://api.slack.com/apps -> Create New App -> From an app manifest.\n"
            "# Generated by `python -m adapters.slack.manifest --socket-mode`.\n"
        )
    return header + to_yaml(manifest(host, socket_mode=socket_mode)) + "\n"


def _is_tracked(out: TextIO) -> bool:
    """Whether ``out`` is the committed manifest (``> slack-manifest.yml``)."""
    try:
        return TRACKED.exists() and os.path.samestat(os.fstat(out.fileno()), TRACKED.stat())
    except (OSError, ValueError):
        return False


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m adapters.slack.manifest",
                                     description="Print togglbot's Slack app manifest.")
    parser.add_argument("host", nargs="?", default=PLACEHOLDER_HOST,
                        help="your public HTTPS base URL, e.g. https://togglbot.example.org")
    parser.add_argument("--socket-mode", action="store_true",
                        help="for Socket Mode (SLACK_APP_TOKEN): no request URLs")
    parser.add_argument("--write-tracked", action="store_true",
                        help=f"regenerate the committed {TRACKED.name} (placeholder host)")
    args = parser.parse_args(argv)
    custom = args.host != PLACEHOLDER_HOST or args.socket_mode
    if args.write_tracked:
        if custom:
            parser.error("--write-tracked keeps the placeholder host: give no host or mode")
        TRACKED.write_text(render())
        return 0
    if custom and _is_tracked(out):
        # The shell already emptied the committed file: put it back, and say where to write.
        out.write(render())
        print(f"{TRACKED.name} is committed with the placeholder host and was left so. "
              "Write yours elsewhere, e.g. `> my-slack-manifest.yml`.", file=sys.stderr)
        return 2
    out.write(render(args.host, socket_mode=args.socket_mode))
    return 0


if __name__ == "__main__":
    sys.exit(main())
