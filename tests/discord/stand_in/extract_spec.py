"""Regenerates ``openapi.json``: the part of Discord's OpenAPI description the stand-in serves.

Discord publishes its REST API as OpenAPI 3.1 (github.com/discord/discord-api-spec,
``specs/openapi.json``, about 1.2 MB). This keeps the endpoints discord.py calls for the bot
and every schema they reference, minus prose, so requests and the stand-in's own answers
are checked against Discord's schemas. Run:
``python -m tests.discord.stand_in.extract_spec path/to/openapi.json [commit]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("openapi.json")
ENDPOINTS = {
    "/gateway/bot": ["get"],
    "/users/@me": ["get"],
    "/oauth2/applications/@me": ["get"],
    "/applications/{application_id}/commands": ["get", "put"],
    "/interactions/{interaction_id}/{interaction_token}/callback": ["post"],
    "/webhooks/{webhook_id}/{webhook_token}": ["post"],
    "/webhooks/{webhook_id}/{webhook_token}/messages/@original": ["get", "patch", "delete"],
    "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}": ["get", "patch", "delete"],
}
# Objects the gateway delivers inside events (the spec describes REST only, but these are
# the same objects): the interaction's user, member, channel and the GUILD_CREATE guild.
GATEWAY_OBJECTS = ["UserResponse", "GuildMemberResponse", "GuildChannelResponse",
                   "PrivateChannelResponse", "GuildResponse", "GuildRoleResponse",
                   "MessageResponse"]
PROSE = {"description", "title", "summary", "externalDocs", "x-discord-union"}


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        # "properties" maps names to schemas: a property may itself be called "description".
        return {k: (_strip(v) if k != "properties" else {p: _strip(s) for p, s in v.items()})
                for k, v in node.items() if k not in PROSE}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def extract(spec: dict[str, Any], commit: str) -> dict[str, Any]:
    paths = {}
    for path, methods in ENDPOINTS.items():
        item = spec["paths"][path]
        paths[path] = {m: item[m] for m in [*methods, "parameters"] if m in item}
    components: dict[str, dict[str, Any]] = {}

    def follow(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                _, _, kind, name = ref.split("/")
                if name not in components.setdefault(kind, {}):
                    components[kind][name] = spec["components"][kind][name]
                    follow(spec["components"][kind][name])
            for value in node.values():
                follow(value)
        elif isinstance(node, list):
            for value in node:
                follow(value)

    follow(paths)
    follow([{"$ref": f"#/components/schemas/{name}"} for name in GATEWAY_OBJECTS])
    info = {"version": spec["info"]["version"], "x-source-commit": commit}
    return _strip({"openapi": spec["openapi"], "info": info, "paths": paths,
                   "components": {k: dict(sorted(v.items())) for k, v in components.items()}})


if __name__ == "__main__":
    source = json.loads(Path(sys.argv[1]).read_text())
    subset = extract(source, sys.argv[2] if len(sys.argv) > 2 else "unknown")
    OUT.write_text(json.dumps(subset, indent=1, sort_keys=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
