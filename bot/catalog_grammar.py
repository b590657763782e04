"""Parsers of the client, project and tag commands, with their usage lines and limits."""

from __future__ import annotations

import re

from bot import commands as c
from bot import entry_grammar as eg
from bot.errors import UsageError
from bot.tokens import tokenize

MAX_CLIENT_NAME = 100
MAX_PROJECT_NAME = 255
MAX_TAG_NAME = 100

CLIENTS = "clients [active|archived|both] [name filter]"
PROJECTS = "projects [active|archived|both]"
ADD_CLIENT = "add client <name>"
RENAME_CLIENT = "rename client <name> to <new name>"
ARCHIVE_CLIENT = "archive client <name>"
RESTORE_CLIENT = "restore client <name> [with projects]"
DELETE_CLIENT = "delete client <name>"
ADD_PROJECT = "add project <name> [$client]"
ADD_TAG = "add tag <name>"


def parse_add_client(rest: str) -> c.Command:
    return c.AddClient(_client_name(rest, ADD_CLIENT))


def _client_name(text: str, usage: str) -> str:
    return _named([t.text for t in tokenize(text)], usage)


def _named(words: list[str], usage: str) -> str:
    name = " ".join(words)
    if not name:
        raise UsageError("Give the client's name.", usage)
    if len(name) > MAX_CLIENT_NAME:
        raise UsageError(f"Client names can be at most {MAX_CLIENT_NAME} characters.")
    return name


def parse_rename_client(rest: str) -> c.Command:
    tokens = tokenize(rest)
    at = next((i for i, t in enumerate(tokens) if not t.quoted and t.text.lower() == "to"), None)
    if at is None:
        raise UsageError("Say the new name after `to`.", RENAME_CLIENT)
    old = _named([t.text for t in tokens[:at]], RENAME_CLIENT)
    new = _named([t.text for t in tokens[at + 1 :]], RENAME_CLIENT)
    return c.RenameClient(old, new)


def parse_archive_client(rest: str) -> c.Command:
    return c.ArchiveClient(_client_name(rest, ARCHIVE_CLIENT))


_WITH_PROJECTS = re.compile(r"(?P<name>.*?)\s+(?:with|and|all)\s+(?:all\s+)?projects", re.I)


def parse_restore_client(rest: str) -> c.Command:
    found = _WITH_PROJECTS.fullmatch(rest)
    name = found["name"] if found else rest
    return c.RestoreClient(_client_name(name, RESTORE_CLIENT), with_projects=bool(found))


def parse_delete_client(rest: str) -> c.Command:
    tokens = tokenize(rest)
    keep = len(tokens)
    if len(tokens) >= 3 and not tokens[-2].quoted and tokens[-2].text.lower() == "confirm":
        keep = len(tokens) - 2
    confirm = eg.confirmation(tokens[keep:], DELETE_CLIENT)
    name = _named([t.text for t in tokens[:keep]], DELETE_CLIENT)
    return c.DeleteClient(name, confirm)


def parse_add_project(rest: str) -> c.Command:
    tokens = tokenize(rest)
    at = next((i for i, t in enumerate(tokens) if t.text.startswith("$") and not t.quoted), None)
    name = " ".join(t.text for t in (tokens if at is None else tokens[:at]))
    usage = ADD_PROJECT
    if not name:
        raise UsageError("Give the project a name.", usage)
    if len(name) > MAX_PROJECT_NAME:
        raise UsageError(f"Project names can be at most {MAX_PROJECT_NAME} characters.", usage)
    if at is None:
        return c.AddProject(name)
    client = " ".join([tokens[at].text[1:], *(t.text for t in tokens[at + 1 :])]).strip()
    if not client:
        raise UsageError("A $ needs a client name after it.", usage)
    return c.AddProject(name, client)


def parse_add_tag(rest: str) -> c.Command:
    name = " ".join(t.text for t in tokenize(rest)).removeprefix("#")
    if not name:
        raise UsageError("Give the tag a name.", ADD_TAG)
    if len(name) > MAX_TAG_NAME:
        raise UsageError(f"Tag names can be at most {MAX_TAG_NAME} characters.")
    return c.AddTag(name)


def _status(word: str) -> c.Status | None:
    return {"active": "active", "archived": "archived", "both": "both", "all": "both"}.get(
        word.lower()
    )  # type: ignore[return-value]


def parse_clients(rest: str) -> c.Command:
    words = rest.split()
    status = _status(words[0]) if words else None
    if status is not None:
        words = words[1:]
    return c.ListClients(status or "active", " ".join(words))


def parse_projects(rest: str) -> c.Command:
    status = _status(rest) if rest else "active"
    if status is None:
        raise UsageError(f"I don't know the filter `{rest[:40]}`.", PROJECTS)
    return c.ListProjects(status)
