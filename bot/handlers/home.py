"""The status panel's extras (Slack's App Home): recent entries to continue in one click,
and the person's settings.

Everything here comes from what the overview already fetched (today's entries, one Toggl
request) and what the bot remembers (the last entry): no request of its own.

Settings: each feature with a per-person setting adds a line (and maybe a button) with
``@home_setting``; the panel shows them in that order. The status setting is the first;
reminders join the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from bot.context import Context
from bot.domain import ListedEntry, TimeEntry
from bot.present import title_of
from bot.replies import Button, Reply

MAX_RECENT = 5
Setting = tuple[str, Button | None]  # its line, and a button to change it
SettingReader = Callable[[Context], Awaitable[Setting | None]]
HOME_SETTINGS: list[SettingReader] = []


def home_setting(reader: SettingReader) -> SettingReader:
    """Show this setting on the status panel (None from the reader: nothing to show)."""
    HOME_SETTINGS.append(reader)
    return reader


async def with_extras(panel: Reply, listed: Sequence[ListedEntry], ctx: Context) -> Reply:
    """The overview, with recent entries to continue and the settings."""
    lines, buttons = list(panel.lines), list(panel.buttons)
    recent = _recent(listed, ctx)
    if recent:
        lines.append("Recent: " + " · ".join(f"“{title_of(e)}”" for e, _ in recent))
        buttons += [Button(f"Continue “{title_of(e)}”", typed) for e, typed in recent]
    for reader in HOME_SETTINGS:
        shown = await reader(ctx)
        if shown is not None:
            lines.append(shown[0])
            buttons += [shown[1]] if shown[1] is not None else []
    return replace(panel, lines=tuple(lines), buttons=tuple(buttons))


def _recent(listed: Sequence[ListedEntry], ctx: Context) -> list[tuple[TimeEntry, str]]:
    """Today's different entries, newest first, each with the `start` that repeats it; the
    running one and the last one (the panel's own Stop or Continue) left out."""
    account = ctx.require_account()
    skip = {_same(e) for e in (account.running, account.last) if e is not None}
    found: list[tuple[TimeEntry, str]] = []
    for row in sorted(listed, key=lambda r: r.entry.start, reverse=True):
        if _same(row.entry) in skip or row.entry.running:
            continue
        skip.add(_same(row.entry))
        found.append((row.entry, _typed(row.entry, row.project_name)))
    return found[:MAX_RECENT]


def _same(entry: TimeEntry) -> tuple[str, int | None, tuple[str, ...]]:
    return entry.description, entry.project_id, tuple(sorted(entry.tags))


def _typed(entry: TimeEntry, project: str | None) -> str:
    """`start "<description>" @"<project>" #"<tag>" $`: quoted, so @ and # in a description
    stay words (a double quote inside becomes a single one: the grammar has no escape)."""
    def quoted(text: str) -> str:
        return '"' + text.replace('"', "'") + '"'

    parts = ["start", quoted(entry.description)] if entry.description else ["start"]
    if project:
        parts.append("@" + quoted(project))
    parts += ["#" + quoted(t) for t in entry.tags]
    return " ".join(parts + (["$"] if entry.billable else []))

