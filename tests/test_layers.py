"""The layers, read from every module's imports (also those inside functions).

- ``bot/`` is the core: no chat SDK, and no ``adapters`` except the CLI entry point;
- ``adapters/`` translate: no SQLAlchemy or alembic (storage is the core's);
- Toggl's wire format (``bot.toggl.parse``, ``bot.toggl.wire``) stays inside ``bot/toggl``
  (and the Toggl emulator, which speaks it);
- imports form no cycle, counting those inside functions (a deferred import that only
  dodges a cycle at import time is still a cycle between the modules).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAT_SDKS = ("slack_bolt", "slack_sdk", "discord", "aiohttp")
STORAGE = ("sqlalchemy", "alembic", "aiosqlite", "psycopg")
WIRE = ("bot.toggl.parse", "bot.toggl.wire")
# aiohttp is listed with the chat SDKs because they run on it; the one core module allowed
# it is the Toggl client's HTTP transport (issue 20: httpx's API over aiohttp's pool).
HTTP_TRANSPORT = {"bot.toggl.http": ("aiohttp",)}


def modules() -> dict[str, Path]:
    found = {}
    for package in ("bot", "adapters"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = modules()


def imports(name: str) -> set[str]:
    """Every module ``name`` imports, anywhere in it (``from pkg import module`` counts
    the module)."""
    tree = ast.parse(MODULES[name].read_text())
    nodes = list(ast.walk(tree))
    found: set[str] = set()
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            submodules = {f"{base}.{a.name}" for a in node.names} & MODULES.keys()
            # `from pkg import module` imports the module; `from module import name`, the module.
            found |= submodules or {base}
    return found


def under(found: set[str], roots: tuple[str, ...]) -> set[str]:
    return {m for m in found if any(m == r or m.startswith(r + ".") for r in roots)}


@pytest.mark.parametrize("name", [m for m in MODULES if m.startswith("bot")])
def test_the_core_imports_no_chat_sdk_and_no_adapter(name: str) -> None:
    allowed = HTTP_TRANSPORT.get(name, ())
    assert not under(imports(name), tuple(s for s in CHAT_SDKS if s not in allowed))
    if name != "bot.cli":  # the entry point starts the processes
        assert not under(imports(name), ("adapters",))


@pytest.mark.parametrize("name", [m for m in MODULES if m.startswith("adapters")])
def test_adapters_import_no_storage(name: str) -> None:
    assert not under(imports(name), STORAGE)


@pytest.mark.parametrize(
    "name", [m for m in MODULES if not m.startswith(("bot.toggl", "bot.testing", "bot.emulator"))]
)
def test_only_the_toggl_package_reads_toggls_wire_format(name: str) -> None:
    assert not under(imports(name), WIRE)


def test_no_import_cycle() -> None:
    graph = {name: {m for m in imports(name) if m in MODULES} - {name} for name in MODULES}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            pytest.fail(" -> ".join([*path[path.index(name):], name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(MODULES):
        visit(name, [])
