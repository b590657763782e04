"""Listing and adding clients, projects and tags: one call each; answers update the cache."""

from __future__ import annotations

from dataclasses import replace

from bot import commands as c
from bot.context import Context
from bot.domain import Client
from bot.grammar.declare import handles
from bot.handlers.clients import find_client
from bot.mention import usage
from bot.replies import Reply, Tone

MAX_LISTED = 50


@handles(c.ListClients)
async def clients(cmd: c.ListClients, ctx: Context) -> Reply:
    account = ctx.require_account()
    found = await ctx.api().clients(account.workspace_id, cmd.status, cmd.name_filter or None)
    cached = await ctx.cached_catalog()
    if cached is not None and not cmd.name_filter:
        # Keep what this listing did not cover (e.g. archived ones when listing active).
        kept = tuple(x for x in cached.clients if not _covers(cmd.status, not x.archived))
        ctx.keep_catalog(replace(cached, clients=tuple(found) + kept))
    found.sort(key=lambda x: x.name.casefold())
    title = {"active": "Clients", "archived": "Archived clients", "both": "All clients"}
    lines = [x.name + (" (archived)" if x.archived and cmd.status == "both" else "")
             for x in found]
    return _listing(title[cmd.status], lines, _no_clients(cmd))


def _no_clients(cmd: c.ListClients) -> str:
    """Empty says what was asked for: no archived ones isn't no clients at all."""
    if cmd.name_filter:
        return f"No {'archived ' if cmd.status == 'archived' else ''}clients match " \
               f"“{cmd.name_filter}”."
    if cmd.status == "archived":
        return "No archived clients."
    return f"No clients yet. Add one with `{usage('add client')}`."


@handles(c.ListProjects)
async def projects(cmd: c.ListProjects, ctx: Context) -> Reply:
    account = ctx.require_account()
    found = await ctx.api().projects(account.workspace_id, cmd.status)
    cached = await ctx.cached_catalog()
    if cached is not None:
        kept = tuple(p for p in cached.projects if not _covers(cmd.status, p.active))
        ctx.keep_catalog(replace(cached, projects=tuple(found) + kept))
    found.sort(key=lambda p: p.name.casefold())
    lines = []
    for project in found:
        client = cached.client(project.client_id) if cached else None
        suffix = f" · {client.name}" if client else ""
        archived = " (archived)" if not project.active and cmd.status == "both" else ""
        lines.append(project.name + suffix + archived)
    title = {"active": "Projects", "archived": "Archived projects", "both": "All projects"}
    return _listing(title[cmd.status], lines, "No projects here.")


@handles(c.AddClient)
async def add_client(cmd: c.AddClient, ctx: Context) -> Reply:
    account = ctx.require_account()
    client = await ctx.api().create_client(account.workspace_id, cmd.name)
    cached = await ctx.cached_catalog()
    if cached is not None:
        ctx.keep_catalog(cached.with_client(client))
    return Reply(title=f"Added client “{client.name}”", tone=Tone.SUCCESS)


def _covers(status: c.Status, active: bool) -> bool:
    return status == "both" or active == (status == "active")


def _listing(title: str, lines: list[str], empty: str) -> Reply:
    if not lines:
        return Reply(title=title, lines=(empty,))
    shown = lines[:MAX_LISTED]
    if len(lines) > MAX_LISTED:
        shown.append(f"…and {len(lines) - MAX_LISTED} more.")
    return Reply(title=f"{title} ({len(lines)})", lines=tuple(shown))


@handles(c.AddProject)
async def add_project(cmd: c.AddProject, ctx: Context) -> Reply:
    account = ctx.require_account()
    client: Client | None = None
    if cmd.client:
        client = await find_client(ctx, cmd.client, "active")
    wid = client.workspace_id if client else account.workspace_id
    project = await ctx.api().create_project(wid, cmd.name, client.id if client else None)
    cached = await ctx.cached_catalog(wid)
    if cached is not None:
        ctx.keep_catalog(cached.with_project(project))
    suffix = f" for “{client.name}”" if client else ""
    return Reply(title=f"Added project “{project.name}”{suffix}", tone=Tone.SUCCESS)


@handles(c.ListTags)
async def tags(cmd: c.ListTags, ctx: Context) -> Reply:
    account = ctx.require_account()
    found = await ctx.api().tags(account.workspace_id)
    cached = await ctx.cached_catalog()
    if cached is not None:  # the answer is the whole list: replace ours
        ctx.keep_catalog(replace(cached, tags=tuple(found)))
    names = sorted((f"#{t.name}" for t in found), key=str.casefold)
    return _listing("Tags", names, f"No tags yet. Add one with `{usage('add tag')}`.")


@handles(c.AddTag)
async def add_tag(cmd: c.AddTag, ctx: Context) -> Reply:
    account = ctx.require_account()
    tag = await ctx.api().create_tag(account.workspace_id, cmd.name)
    cached = await ctx.cached_catalog()
    if cached is not None:
        ctx.keep_catalog(cached.with_tags((tag,)))
    return Reply(title=f"Added tag #{tag.name}", tone=Tone.SUCCESS)
