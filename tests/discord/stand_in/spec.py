"""Discord's published OpenAPI description, used to check what crosses the stand-in.

``openapi.json`` is a subset of github.com/discord/discord-api-spec (see ``extract_spec``).
Requests the bot sends are validated against their operation's request schema and refused
with Discord's own error shape (code 50035 "Invalid Form Body"); the stand-in's answers are
validated against the response schema, so a stand-in bug is not mistaken for a bot bug.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

DOC: dict[str, Any] = json.loads(Path(__file__).with_name("openapi.json").read_text())
SOURCE = DOC["info"]["x-source-commit"]
# The spec types snowflakes as strings, but Discord also takes JSON integers (discord.py
# sends an attachment's id as 0), so an integer snowflake is accepted too.
DOC["components"]["schemas"]["SnowflakeType"] = {"anyOf": [
    DOC["components"]["schemas"]["SnowflakeType"], {"type": "integer", "minimum": 0}]}

# jsonschema keyword -> the code Discord puts in a field's "_errors".
_CODES = {
    "maxLength": ("BASE_TYPE_MAX_LENGTH", "Must be {} or fewer in length."),
    "minLength": ("BASE_TYPE_MIN_LENGTH", "Must be {} or more in length."),
    "maxItems": ("BASE_TYPE_MAX_LENGTH", "Must be {} or fewer in length."),
    "minItems": ("BASE_TYPE_MIN_LENGTH", "Must be {} or more in length."),
    "required": ("BASE_TYPE_REQUIRED", "This field is required"),
    "maximum": ("NUMBER_TYPE_MAX", "int value should be less than or equal to {}."),
    "minimum": ("NUMBER_TYPE_MIN", "int value should be greater than or equal to {}."),
}


@cache
def _validator(path: str, method: str, part: str, status: str = "") -> Draft202012Validator | None:
    operation = DOC["paths"][path][method]
    if part == "request":
        schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    else:
        schema = operation["responses"].get(status, {}).get("content", {}).get(
            "application/json", {})
    if "schema" not in schema:
        return None
    # "#/components/..." references resolve against the root: put the components there.
    return Draft202012Validator({**schema["schema"], "components": DOC["components"]})


def request_error(path: str, method: str, body: Any) -> dict[str, Any] | None:
    """Discord's 400 body for an invalid request, or None when the schema accepts it."""
    validator = _validator(path, method, "request")
    if validator is None:
        return None
    error = best_match(validator.iter_errors(body))
    if error is None:
        return None
    error = _inside_union(error)
    return form_error(_where(error), *_describe(error))


def response_problem(path: str, method: str, status: int, body: Any) -> str | None:
    """Why the stand-in's own answer breaks Discord's response schema, or None."""
    validator = _validator(path, method, "response", str(status))
    if validator is None:
        return None
    error = best_match(validator.iter_errors(body))
    return None if error is None else f"{method.upper()} {path} {status}: {error.message[:300]}"


@cache
def _object_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                 "components": DOC["components"]})


def object_problem(name: str, value: Any, where: str) -> str | None:
    """Why ``value`` is not a valid ``name`` (e.g. "UserResponse"), or None."""
    error = best_match(_object_validator(name).iter_errors(value))
    if error is None:
        return None
    path = "/".join(str(p) for p in error.absolute_path)
    return f"{where}/{path} ({name}): {error.message[:300]}"


def form_error(where: list[str], code: str, message: str) -> dict[str, Any]:
    """``{"code": 50035, "errors": {"data": {"content": {"_errors": [...]}}}, ...}``."""
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for key in reversed(where):
        errors = {key: errors}
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


def _inside_union(error: ValidationError) -> ValidationError:
    """For a union (anyOf/oneOf) that nothing matched, the error inside the branch meant.

    Discord's unions are told apart by a ``type`` field: branches that fail on it are not
    the one meant, nor are branches for another JSON type; of the rest, the one with the
    fewest errors is.
    """
    while error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for inner in error.context:
            branches.setdefault(inner.relative_schema_path[0], []).append(inner)
        meant = [errs for errs in branches.values() if not any(_wrong_kind(e) for e in errs)]
        # The branch with the fewest errors is the closest; its deepest error is the reason.
        closest = min(meant or list(branches.values()), key=len)
        deepest = max(closest, key=lambda e: len(e.absolute_path))
        if deepest is error:
            break
        error = deepest
    return error


def _wrong_kind(error: ValidationError) -> bool:
    """The branch is for another kind of value: not an object, or another ``type`` field."""
    return list(error.relative_path) == ["type"] or (
        not error.relative_path and error.validator == "type")


def _where(error: ValidationError) -> list[str]:
    where = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        # jsonschema reports a missing field at its parent; Discord at the field itself.
        missing = next((name for name in error.validator_value
                        if isinstance(error.instance, dict) and name not in error.instance), "")
        where.append(str(missing))
    return where


def _describe(error: ValidationError) -> tuple[str, str]:
    code, text = _CODES.get(str(error.validator), ("", ""))
    if code:
        return code, text.format(error.validator_value)
    return f"SCHEMA_{str(error.validator).upper()}", error.message[:200]
