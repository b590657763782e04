"""HTTP plumbing shared by the endpoints: Discord's error shape and request bodies."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from tests.discord.stand_in import spec

UNKNOWN_INTERACTION = (404, 10062, "Unknown interaction")
UNKNOWN_WEBHOOK = (404, 10015, "Unknown Webhook")
UNKNOWN_MESSAGE = (404, 10008, "Unknown Message")
INVALID_WEBHOOK_TOKEN = (401, 50027, "Invalid Webhook Token")


class Refusal(Exception):
    """Raised by a handler: answered with Discord's status and error JSON, and recorded."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.status, self.body = status, body


def error(status: int, code: int, message: str) -> Refusal:
    return Refusal(status, {"message": message, "code": code})


def form(where: list[str], code: str, message: str) -> Refusal:
    return Refusal(400, spec.form_error(where, code, message))


def as_json(body: Any, status: int = 200) -> web.Response:
    # Exactly "application/json", as Discord sends it: discord.py compares the header.
    return web.Response(body=json.dumps(body).encode(), status=status,
                        headers={"Content-Type": "application/json"})


def answer(faults: list[str], request: web.Request, path: str, body: Any, status: int = 200
           ) -> web.Response:
    """``body`` as JSON, after checking it against Discord's response schema (a mismatch is
    the stand-in's bug, kept in ``faults``)."""
    problem = spec.response_problem(path, request.method.lower(), status, body)
    if problem:
        faults.append(problem)
    return as_json(body, status)


async def read_body(request: web.Request, path: str, method: str
                    ) -> tuple[Any, dict[str, int]]:
    """The JSON body (or multipart ``payload_json``) after schema validation, and the
    uploaded files' names and sizes."""
    files: dict[str, int] = {}
    if request.content_type == "multipart/form-data":
        body: Any = None
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":  # type: ignore[union-attr]
                body = json.loads(await part.text())  # type: ignore[union-attr]
            elif part.filename:  # type: ignore[union-attr]
                files[part.filename] = len(await part.read())  # type: ignore[union-attr]
    elif request.content_type == "application/json":
        try:
            body = await request.json()
        except json.JSONDecodeError:
            raise error(400, 50109, "The request body contains invalid JSON.") from None
    else:
        raise error(400, 50035, "Invalid Form Body (no JSON content type)")
    problem = spec.request_error(path, method, body)
    if problem:
        raise Refusal(400, problem)
    return body, files
