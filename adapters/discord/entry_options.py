"""Options of the entry subcommands (add, edit, delete, tag) -> typed core commands.

Validation is the text grammar's own: ``parse_clock`` for HH:MM, ``period_of`` and
``date_range`` for days, ``entry_ref`` for ids, so Discord and text agree on every rule.
"""

from __future__ import annotations

from datetime import date, time

from adapters.discord.options import NamedPeriod, period_option, split_tags
from bot import commands as c
from bot.digest.schedule import parse_clock
from bot.entry_grammar import (
    ADD_USAGE,
    DELETE_USAGE,
    EDIT_USAGE,
    MAX_REFS,
    TAG_USAGE,
    entry_ref,
)
from bot.errors import UsageError
from bot.grammar import clean
from bot.periods import period_of
from bot.tokens import Token


def ref_option(text: str, usage: str) -> str:
    """`last`, a Toggl id or a short id from `entries`."""
    return entry_ref(Token(clean(text)), usage)


def clock_option(text: str | None, usage: str) -> time | None:
    return parse_clock(clean(text), usage) if text is not None else None


def day_option(text: str | None, usage: str) -> tuple[date | None, int]:
    """`today`, `yesterday` or YYYY-MM-DD -> (day, days ago); nothing means today."""
    if text is None:
        return None, 0
    word = clean(text).lower()
    try:
        period = period_of(word)
    except UsageError as exc:
        raise UsageError(exc.message, usage) from None
    if period is not None and period.name in ("today", "yesterday"):
        return None, 0 if period.name == "today" else 1
    if period is None or period.name != "range" or period.first != period.last:
        raise UsageError(f"`{word[:40]}` is not one day; use today, yesterday or YYYY-MM-DD.",
                         usage)
    return period.first, 0


def add_entry_command(
    description: str, start: str, stop: str, day: str | None, project: str | None,
    tags: str | None, billable: bool,
) -> c.AddEntry:
    begin, end = clock_option(start, ADD_USAGE), clock_option(stop, ADD_USAGE)
    assert begin is not None and end is not None
    if end <= begin:
        raise UsageError("The entry stops before it starts.", ADD_USAGE)
    when, days_ago = day_option(day, ADD_USAGE)
    return c.AddEntry(clean(description), begin, end, when, days_ago,
                      clean(project or "") or None, split_tags(tags), billable)


def edit_command(
    ref: str, description: str | None, project: str | None, no_project: bool,
    add_tags: str | None, remove_tags: str | None, start: str | None, stop: str | None,
    billable: bool | None,
) -> c.EditEntry:
    entry = ref_option(ref, EDIT_USAGE)
    project = clean(project or "") or None
    if project and no_project:
        raise UsageError("Choose a project or `no-project`, not both.", EDIT_USAGE)
    command = c.EditEntry(
        entry,
        description=clean(description or "") or None,
        project="" if no_project else project,
        add_tags=split_tags(add_tags),
        remove_tags=split_tags(remove_tags),
        start=clock_option(start, EDIT_USAGE),
        stop=clock_option(stop, EDIT_USAGE),
        billable=billable,
    )
    if command == c.EditEntry(entry):
        raise UsageError("Say what to change, e.g. `project:Website`.", EDIT_USAGE)
    return command


def delete_command(ref: str) -> c.DeleteEntry:
    return c.DeleteEntry(ref_option(ref, DELETE_USAGE))


def tag_command(
    ids: str | None, period: NamedPeriod | None, first: str | None, last: str | None,
    add_tags: str | None, remove_tags: str | None,
) -> c.TagEntries:
    adds, removes = split_tags(add_tags), split_tags(remove_tags)
    if not adds and not removes:
        raise UsageError("Say which tags, e.g. `add-tags:billable`.", TAG_USAGE)
    words = clean(ids or "").replace(",", " ").split()
    dated = period is not None or first is not None or last is not None
    if words and dated:
        raise UsageError("Choose entry ids or a period, not both.", TAG_USAGE)
    if not words:
        if not dated:
            raise UsageError("Say which entries: ids from `entries`, or a period.", TAG_USAGE)
        when = period_option(period, first, last, TAG_USAGE)
        return c.TagEntries(period=when, add_tags=adds, remove_tags=removes)
    refs = tuple(dict.fromkeys(ref_option(word, TAG_USAGE) for word in words))
    if len(refs) > MAX_REFS:
        raise UsageError(f"At most {MAX_REFS} ids at once; tag a whole period instead.",
                         TAG_USAGE)
    return c.TagEntries(refs=refs, add_tags=adds, remove_tags=removes)
