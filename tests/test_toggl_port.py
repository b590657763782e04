"""Toggl sits behind a port: only bot/toggl speaks its JSON; handlers see domain objects."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from bot import ports
from bot.toggl import TogglClient, TogglSession

BOT = Path(__file__).resolve().parents[1] / "bot"
WIRE = "bot.toggl.parse"
# Keys only Toggl's JSON has; a module reading them is parsing Toggl itself.
WIRE_KEYS = {"project_name", "client_name", "tag_action", "tag_ids", "with_related_data",
             "start_date", "end_date", "first_row_number", "sub_groups"}


def _outside_toggl() -> list[Path]:
    skip = {"toggl", "emulator"}  # the client and the emulator speak JSON
    return [p for p in BOT.rglob("*.py") if not skip & set(p.relative_to(BOT).parts[:1])]


def test_nothing_outside_bot_toggl_imports_the_wire_format() -> None:
    offenders = []
    for path in _outside_toggl():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "bot.toggl" and any(
                a.name == "parse" for a in node.names
            ):
                offenders.append(str(path))
            if isinstance(node, ast.ImportFrom) and node.module == WIRE:
                offenders.append(str(path))
            if isinstance(node, ast.Import) and any(a.name == WIRE for a in node.names):
                offenders.append(str(path))
    assert offenders == []


def test_nothing_outside_bot_toggl_reads_toggl_json_keys() -> None:
    offenders = []
    for path in _outside_toggl():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in WIRE_KEYS:
                offenders.append(f"{path.name}: {node.value}")
    assert offenders == []


def test_the_client_implements_the_port() -> None:
    """Every port method exists on the session with the same parameters."""
    for name, member in inspect.getmembers(ports.Toggl, inspect.isfunction):
        if name.startswith("_"):
            continue
        mine = getattr(TogglSession, name)
        assert list(inspect.signature(mine).parameters) == list(
            inspect.signature(member).parameters
        ), name
    assert callable(TogglClient.session)
