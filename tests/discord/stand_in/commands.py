"""Application commands: what Discord refuses at registration, and what a person can type.

``check`` applies the rules Discord documents beyond the OpenAPI schema (names, ordering,
the 8,000-character budget...). ``invoke`` turns "toggl start" plus option values into the
``data`` of an interaction, only if Discord's client would let a person send it: the
options must exist in what the bot registered, with the right types and choices.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from tests.discord.stand_in.spec import form_error

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
CHAT_INPUT, USER, MESSAGE = 1, 2, 3  # application command types
GUILD_INSTALL, USER_INSTALL = 0, 1  # integration types
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2  # interaction contexts
MENU_COMMANDS_MAX = 5  # of each of USER and MESSAGE, per app
STRING, INTEGER, BOOLEAN, NUMBER = 3, 4, 5, 10
SIZE_MAX = 8000  # name + description + choice values, over the command and all its options
_PYTHON_TYPES: dict[int, tuple[type, ...]] = {
    STRING: (str,), INTEGER: (int,), BOOLEAN: (bool,), NUMBER: (int, float)
}


class Refused(Exception):
    """The stand-in will not do this because Discord would not: the message says why."""


def check(commands: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Discord's 400 body for a bulk overwrite that breaks a documented rule, or None."""
    names: set[tuple[int, str]] = set()
    for index, command in enumerate(commands):
        kind = command.get("type") or 1
        where = [str(index)]
        if (kind, command["name"]) in names:
            return form_error([*where, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME",
                              "Application command names must be unique")
        names.add((kind, command["name"]))
        problem = _check_reach(command, where)
        if problem:
            return problem
        if kind != CHAT_INPUT:
            problem = _check_menu(command, where)
            if problem:
                return problem
            continue
        if not command.get("description"):
            return form_error([*where, "description"], "BASE_TYPE_REQUIRED",
                              "This field is required")
        problem = _check_name(command["name"], [*where, "name"]) or _check_options(
            command.get("options") or [], [*where, "options"], depth=0)
        if problem:
            return problem
        if _size(command) > SIZE_MAX:
            return form_error(where, "APPLICATION_COMMAND_TOO_LARGE",
                              f"Command exceeds maximum size ({SIZE_MAX})")
    for kind in (USER, MESSAGE):
        if sum((c.get("type") or 1) == kind for c in commands) > MENU_COMMANDS_MAX:
            return form_error([], "APPLICATION_COMMANDS_TOO_MANY",
                              f"Maximum number of context menu commands ({MENU_COMMANDS_MAX})")
    return None


def _check_reach(command: dict[str, Any], where: list[str]) -> dict[str, Any] | None:
    """``integration_types`` are 0 (a server's install) and 1 (a person's); ``contexts`` 0
    (server), 1 (the bot's DM), 2 (group DMs and DMs between people)."""
    types = command.get("integration_types")
    if types is not None and (not types or not set(types) <= {GUILD_INSTALL, USER_INSTALL}):
        return form_error([*where, "integration_types"], "BASE_TYPE_CHOICES",
                          "Value must be one of {0, 1}.")
    contexts = command.get("contexts")
    if contexts is not None and not set(contexts) <= {GUILD, BOT_DM, PRIVATE_CHANNEL}:
        return form_error([*where, "contexts"], "BASE_TYPE_CHOICES",
                          "Value must be one of {0, 1, 2}.")
    return None


def _check_menu(command: dict[str, Any], where: list[str]) -> dict[str, Any] | None:
    """USER and MESSAGE commands: 1-32 characters, any case and spaces; no description (or
    an empty one) and no options (application-commands.mdx)."""
    kind = command.get("type")
    if kind not in (USER, MESSAGE):
        return form_error([*where, "type"], "BASE_TYPE_CHOICES", "Value must be 1, 2 or 3.")
    if not 1 <= len(command["name"]) <= 32:
        return form_error([*where, "name"], "BASE_TYPE_BAD_LENGTH",
                          "Must be between 1 and 32 in length.")
    if command.get("description"):
        return form_error([*where, "description"], "APPLICATION_COMMAND_INVALID_DESCRIPTION",
                          "Context menu commands cannot have description")
    if command.get("options"):
        return form_error([*where, "options"], "APPLICATION_COMMAND_INVALID_OPTIONS",
                          "Context menu commands cannot have options")
    return None


def _check_name(name: str, where: list[str]) -> dict[str, Any] | None:
    # ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, lowercase where a lowercase exists.
    allowed = all(c in "-_'" or unicodedata.category(c)[0] in "LN" for c in name)
    if not (1 <= len(name) <= 32 and allowed):
        return form_error(where, "APPLICATION_COMMAND_INVALID_NAME",
                          "Command name is invalid")
    if name != name.lower():
        return form_error(where, "APPLICATION_COMMAND_INVALID_NAME",
                          "Command name must be lowercase")
    return None


def _check_options(options: list[dict[str, Any]], where: list[str], depth: int
                   ) -> dict[str, Any] | None:
    kinds = {o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options}
    if len(kinds) > 1:
        return form_error(where, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                          "Sub-command and sub-command group option types are mutually "
                          "exclusive to all other types")
    seen: set[str] = set()
    optional_seen = False
    for index, option in enumerate(options):
        here = [*where, str(index)]
        problem = _check_name(option["name"], [*here, "name"])
        if problem:
            return problem
        if option["name"] in seen:
            return form_error([*here, "name"], "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
                              "Command option names must be unique")
        seen.add(option["name"])
        if option["type"] == SUB_COMMAND_GROUP and depth > 0:
            return form_error([*here, "type"], "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                              "Sub-command groups can only be nested one level")
        if option["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
            problem = _check_options(option.get("options") or [], [*here, "options"], depth + 1)
            if problem:
                return problem
            continue
        if option.get("required"):
            if optional_seen:
                return form_error([*here, "required"],
                                  "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                                  "Required options must be placed before non-required options")
        else:
            optional_seen = True
        if option.get("autocomplete") and option.get("choices"):
            return form_error([*here, "autocomplete"], "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                              "Autocomplete cannot be set on options with choices")
        low, high = option.get("min_length"), option.get("max_length")
        if low is not None and high is not None and low > high:
            return form_error([*here, "min_length"], "BASE_TYPE_BAD_LENGTH",
                              "min_length must not exceed max_length")
    return None


def _size(node: dict[str, Any]) -> int:
    total = len(node.get("name", "")) + len(node.get("description") or "")
    for choice in node.get("choices") or []:
        total += len(choice["name"]) + len(str(choice["value"]))
    return total + sum(_size(o) for o in node.get("options") or [])


def _offered(command: dict[str, Any], context: int, integration: int) -> None:
    """Refuses what Discord's client doesn't offer there (a DM, a person's own install)."""
    name = command["name"]
    if context not in (command.get("contexts") or [GUILD, BOT_DM, PRIVATE_CHANNEL]):
        raise Refused(f"{name!r} is not offered in interaction context {context}")
    if integration not in (command.get("integration_types") or [GUILD_INSTALL]):
        raise Refused(f"{name!r} is not offered to an install of type {integration}")


def invoke_menu(commands: list[dict[str, Any]], name: str, message: dict[str, Any],
                context: int = GUILD, integration: int = GUILD_INSTALL) -> dict[str, Any]:
    """The ``data`` of a MESSAGE command used on ``message`` (its ``target_id`` and the
    message in ``resolved``), if the app registered one called ``name``."""
    command = next((c for c in commands if c["name"] == name and c.get("type") == MESSAGE),
                   None)
    if command is None:
        raise Refused(f"no message command {name!r} is registered")
    _offered(command, context, integration)
    return {"id": command["id"], "name": name, "type": MESSAGE, "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}}}


def invoke(commands: list[dict[str, Any]], path: str, options: dict[str, Any],
           focused: str | None = None, context: int = 0,
           integration: int = GUILD_INSTALL) -> dict[str, Any]:
    """The ``data`` of an APPLICATION_COMMAND (or, with ``focused``, AUTOCOMPLETE) interaction.

    ``path`` is what the person picked, e.g. "toggl start" or "toggl add client"; option
    names are Discord's. Raises ``Refused`` for anything Discord's client would not send.
    """
    name, *subs = path.split()
    command = next((c for c in commands if c["name"] == name and (c.get("type") or 1) == 1),
                   None)
    if command is None:
        raise Refused(f"/{name} is not registered")
    _offered(command, context, integration)
    data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1}
    level, holder = command.get("options") or [], data
    for sub in subs:
        found = next((o for o in level if o["name"] == sub
                      and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)), None)
        if found is None:
            raise Refused(f"/{path}: no subcommand {sub!r}")
        node: dict[str, Any] = {"type": found["type"], "name": sub, "options": []}
        holder["options"] = [node]
        level, holder = found.get("options") or [], node
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in level):
        raise Refused(f"/{path} needs a subcommand")
    holder["options"] = [_value(level, key, value, key == focused, path)
                         for key, value in options.items()]
    if focused is None:
        missing = [o["name"] for o in level if o.get("required") and o["name"] not in options]
        if missing:
            raise Refused(f"/{path}: required option(s) {missing} left empty")
    elif not next(o for o in level if o["name"] == focused).get("autocomplete"):
        raise Refused(f"/{path}: option {focused!r} has no autocomplete")
    return data


def _value(level: list[dict[str, Any]], key: str, value: Any, focused: bool, path: str
           ) -> dict[str, Any]:
    option = next((o for o in level if o["name"] == key), None)
    if option is None:
        raise Refused(f"/{path}: no option {key!r}")
    kind = option["type"]
    if kind not in _PYTHON_TYPES:
        raise NotImplementedError(f"option type {kind}: the stand-in only sends primitives")
    sent = {"type": kind, "name": key, "value": value}
    if focused:
        if not isinstance(value, str):
            raise Refused("while typing, Discord sends the partial input as a string")
        return sent | {"focused": True}
    if not isinstance(value, _PYTHON_TYPES[kind]) or (kind != BOOLEAN and isinstance(value, bool)):
        raise Refused(f"/{path}: {key} takes type {kind}, not {type(value).__name__}")
    choices = option.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise Refused(f"/{path}: {key}={value!r} is not one of its choices")
    if kind == STRING and not (option.get("min_length", 0) <= len(value)
                               <= option.get("max_length", 6000)):
        raise Refused(f"/{path}: {key} length {len(value)} is outside Discord's limits")
    return sent
