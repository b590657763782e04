"""login, logout, quota, refresh: the person's link to Toggl."""

from __future__ import annotations

from bot import commands as c
from bot.context import Context
from bot.domain import Account, MeWithRelated
from bot.errors import TokenRejected
from bot.grammar.declare import handles
from bot.present import quota_lines
from bot.replies import Reply, Tone

WHERE_TO_FIND = "Find your API token at the bottom of Toggl Track's Profile settings page."


@handles(c.Login)
async def login(cmd: c.Login, ctx: Context) -> Reply:
    if cmd.token is None:
        return Reply(title="Connect your Toggl account", lines=(WHERE_TO_FIND,), ask_token=True)
    session = ctx.api_for(cmd.token)
    try:
        me = await session.me()
    except TokenRejected:
        return Reply(
            title="Toggl didn't accept that token.",
            lines=(WHERE_TO_FIND,),
            tone=Tone.ERROR,
            ask_token=True,
        )
    account = _account_from(ctx, cmd, me)
    account.note_quotas(session.quotas)
    ctx.connect(account)
    for catalog in me.catalogs.values():
        ctx.keep_catalog(catalog)
    home = me.catalogs.get(account.workspace_id)
    counts = (
        f"{len(home.projects)} projects, {len(home.clients)} clients, "
        f"{len(home.tags)} tags remembered."
        if home
        else ""
    )
    lines = [f"Time zone {account.timezone}. {counts}".strip()]
    if account.running is not None:
        lines.append(f"“{account.running.description or '(no description)'}” is running.")
    return Reply(
        title=f"Connected as {me.profile.fullname or 'you'}",
        lines=tuple(lines),
        tone=Tone.SUCCESS,
    )


def _account_from(ctx: Context, cmd: c.Login, me: MeWithRelated) -> Account:
    assert cmd.token is not None
    account = Account(
        key=ctx.key,
        token=cmd.token,
        toggl_user_id=me.profile.id,
        workspace_id=me.profile.default_workspace_id,
        timezone=me.profile.timezone,
        name=me.profile.fullname,
    )
    for entry in sorted(me.entries, key=lambda e: e.start):
        account.remember(entry)
    return account


@handles(c.Logout)
async def logout(cmd: c.Logout, ctx: Context) -> Reply:
    if ctx.account is None and not ctx.unreadable:
        return Reply(title="You weren't connected.")
    ctx.forget()
    return Reply(
        title="Disconnected",
        lines=("Your Toggl token and everything the bot remembered for you are deleted.",),
        tone=Tone.SUCCESS,
    )


@handles(c.QuotaStatus)
async def quota(cmd: c.QuotaStatus, ctx: Context) -> Reply:
    account = ctx.require_account()
    return Reply(
        title="Your Toggl requests this hour",
        lines=quota_lines(account, ctx.now, ctx.tz),
    )


@handles(c.Refresh)
async def refresh(cmd: c.Refresh, ctx: Context) -> Reply:
    catalog = await ctx.reload_catalogs()
    return Reply(
        title="Reloaded from Toggl",
        lines=(
            f"{len(catalog.projects)} projects, {len(catalog.clients)} clients, "
            f"{len(catalog.tags)} tags.",
        ),
        tone=Tone.SUCCESS,
    )
