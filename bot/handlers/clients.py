"""rename, archive, restore and delete client: one Toggl call each, names from the cache."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Literal

from bot import commands as c
from bot.confirm import check, issue
from bot.context import Context
from bot.domain import Catalog, Client
from bot.errors import LookupFailed, PremiumRequired, TogglRejected, UsageError
from bot.grammar.declare import handles
from bot.handlers.timer import MISS_REFRESH_AFTER
from bot.lookup import match
from bot.mention import mention
from bot.replies import Button, Reply, Tone

Which = Literal["any", "active", "archived"]


@handles(c.RenameClient)
async def rename(cmd: c.RenameClient, ctx: Context) -> Reply:
    client = await find_client(ctx, cmd.name)
    async with _known(ctx, client):
        renamed = await ctx.api().rename_client(client.workspace_id, client.id, cmd.new_name)
    await _keep(ctx, client.workspace_id, lambda cat: cat.with_client(renamed))
    return Reply(title=f"Renamed client “{client.name}” to “{renamed.name}”", tone=Tone.SUCCESS)


@handles(c.ArchiveClient)
async def archive(cmd: c.ArchiveClient, ctx: Context) -> Reply:
    client = await find_client(ctx, cmd.name, "active")
    async with _known(ctx, client), _premium("Archiving clients"):
        archived = set(await ctx.api().archive_client(client.workspace_id, client.id))

    def update(cat: Catalog) -> Catalog:
        projects = tuple(replace(p, active=False) if p.id in archived else p for p in cat.projects)
        return replace(cat.with_client(replace(client, archived=True)), projects=projects)

    await _keep(ctx, client.workspace_id, update)
    also = f" and {_projects(len(archived))}" if archived else ""
    return Reply(title=f"Archived client “{client.name}”{also}", tone=Tone.SUCCESS,
                 lines=(f"Undo with `{mention(f'restore client {client.name} with projects')}`.",))


@handles(c.RestoreClient)
async def restore(cmd: c.RestoreClient, ctx: Context) -> Reply:
    client = await find_client(ctx, cmd.name, "archived")
    async with _known(ctx, client), _premium("Restoring clients"):
        restored = await ctx.api().restore_client(
            client.workspace_id, client.id, all_projects=cmd.with_projects
        )
    cached = await ctx.cached_catalog(client.workspace_id)
    mine = {p.id for p in cached.projects if p.client_id == client.id} \
        if cached is not None and cmd.with_projects else set()

    def update(cat: Catalog) -> Catalog:
        projects = tuple(replace(p, active=True) if p.id in mine else p for p in cat.projects)
        return replace(cat.with_client(restored), projects=projects)

    await _keep(ctx, client.workspace_id, update)
    also = f" and {_projects(len(mine))}" if mine else ""
    return Reply(title=f"Restored client “{restored.name}”{also}", tone=Tone.SUCCESS)


@handles(c.DeleteClient)
async def delete(cmd: c.DeleteClient, ctx: Context) -> Reply:
    if cmd.confirm:
        return await _delete_confirmed(cmd, ctx)
    client = await find_client(ctx, cmd.name)
    token = issue(ctx.confirm_secret, ctx.key, f"client:{client.id}", client.workspace_id, ctx.now)
    return Reply(
        title=f"Delete client “{client.name}”?",
        lines=("Its projects stay in Toggl, without a client. This can't be undone.",
               "The button works for you, for 10 minutes."),
        buttons=(Button("Delete client", f"delete client {client.id} confirm {token}", "danger"),),
        tone=Tone.WARNING,
    )


async def _delete_confirmed(cmd: c.DeleteClient, ctx: Context) -> Reply:
    if not cmd.name.isdigit():
        raise UsageError("A confirmation names the client by id.", "delete client")
    client_id = int(cmd.name)
    wid = check(ctx.confirm_secret, ctx.key, f"client:{client_id}", cmd.confirm, ctx.now)
    cached = await ctx.cached_catalog(wid)
    known = cached.client(client_id) if cached else None
    name = f"“{known.name}”" if known else "the client"
    try:
        await ctx.api().delete_client(wid, client_id)
    except TogglRejected as exc:
        if exc.status != 404:
            raise
        await _keep(ctx, wid, lambda cat: cat.without_client(client_id))
        return Reply(title=f"{name[0].upper()}{name[1:]} was already deleted")
    await _keep(ctx, wid, lambda cat: cat.without_client(client_id))
    return Reply(title=f"Deleted client {name}", tone=Tone.SUCCESS)


async def find_client(ctx: Context, name: str, which: Which = "any") -> Client:
    """A client by name from the cache; one refresh on a miss unless it was just loaded."""
    catalog = await ctx.catalog()
    try:
        return _pick(catalog, name, which)
    except LookupFailed:
        if ctx.now - catalog.fetched_at < MISS_REFRESH_AFTER:
            raise
    return _pick(await ctx.reload_catalogs(), name, which)


def _pick(catalog: Catalog, name: str, which: Which) -> Client:
    wanted = [x for x in catalog.clients if which == "any" or x.archived == (which == "archived")]
    try:
        return match(name, wanted, lambda x: x.name, "client" if which == "any" else
                     f"{which} client")
    except LookupFailed:
        other = [x for x in catalog.clients if x not in wanted]
        if any(x.name.casefold() == name.casefold() for x in other):
            state = "already archived" if which == "active" else "not archived"
            raise LookupFailed(f"The client `{name}` is {state}.") from None
        raise


@asynccontextmanager
async def _known(ctx: Context, client: Client) -> AsyncIterator[None]:
    """A client deleted in Toggl since we cached it: forget it and say so."""
    try:
        yield
    except TogglRejected as exc:
        if exc.status != 404:
            raise
        await _keep(ctx, client.workspace_id, lambda cat: cat.without_client(client.id))
        raise LookupFailed(f"The client “{client.name}” no longer exists in Toggl.") from None


@asynccontextmanager
async def _premium(what: str) -> AsyncIterator[None]:
    """Toggl answers 402 (or 403) for premium-only features; say which feature."""
    try:
        yield
    except PremiumRequired:
        raise PremiumRequired(what) from None
    except TogglRejected as exc:
        if exc.status != 403:
            raise
        raise PremiumRequired(what) from None


async def _keep(
    ctx: Context, workspace_id: int, update: Callable[[Catalog], Catalog]
) -> None:
    """Apply what Toggl's answer told us to the cached catalog: no extra call."""
    cached = await ctx.cached_catalog(workspace_id)
    if cached is not None:
        ctx.keep_catalog(update(cached))


def _projects(count: int) -> str:
    return f"{count} project" + ("" if count == 1 else "s")
