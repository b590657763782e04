"""The worker adapter: Slack and Discord delivery against local fakes, and the whole process."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import time, timedelta

import discord
import pytest
from PIL import Image
from pydantic import SecretStr

from adapters.worker import (
    DiscordSender,
    PlatformSender,
    SlackSender,
    digest_scheduler,
    in_background,
)
from bot import migrate
from bot.config import Settings
from bot.crypto import TokenCipher
from bot.digest.chart import render_chart
from bot.digest.model import Channel, Schedule
from bot.digest.ports import DeliveryRejected
from bot.emulator import TogglEmulator
from bot.emulator import serve as serve_toggl
from bot.pacing import Pacer
from bot.replies import Field, Reply
from bot.store.accounts import SqlAccountStore
from bot.store.digests import SqlDigestStore
from bot.store.engine import create_engine_for
from bot.testing.clock import ManualClock
from tests.digest.fake_platforms import FakeDiscordApi, FakeSlackApi, serve
from tests.digest.helpers import add_member, at, no_sleep
from tests.slack.slack_rules import Workspace

REPLY = Reply(
    title="Daily digest · Tue 24 Nov",
    lines=("Team total 45m · 1 of 1 member tracked time",),
    fields=(Field("Ada <@U1> · 45m", "Website 45m"),),
    public=True,
)
PNG = render_chart([("Ada", 0.75)])


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi()
    with serve(fake.app) as url:
        fake.base_url = url
        yield fake


@pytest.fixture
def discord_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDiscordApi]:
    fake = FakeDiscordApi()
    with serve(fake.app) as url:
        fake.base_url = url
        monkeypatch.setattr(discord.http.Route, "BASE", url + "/api/v10")
        yield fake


def slack_sender(fake: FakeSlackApi) -> SlackSender:
    async def tokens(team_id: str) -> str | None:
        return {"T1": "xoxb-team-one"}.get(team_id)

    return SlackSender(tokens, fake.base_url + "/api/", Pacer(1, sleep=no_sleep))


class TestSlack:
    async def test_posts_block_kit_with_a_text_fallback(self, slack_api: FakeSlackApi) -> None:
        ts = await slack_sender(slack_api).send("slack", "T1", "C1", REPLY)
        [post] = slack_api.of("chat.postMessage")
        assert ts.startswith("1700000000.")
        assert post.token == "xoxb-team-one"
        assert post.payload["channel"] == "C1"
        assert post.payload["text"] == "Daily digest · Tue 24 Nov"
        text = str(post.payload["blocks"])
        assert "Ada &lt;@U1&gt; · 45m" in text  # a typed mention is inert
        assert "actions" not in text  # no buttons in a channel digest

    async def test_the_chart_goes_into_the_thread(self, slack_api: FakeSlackApi) -> None:
        ts = await slack_sender(slack_api).send("slack", "T1", "C1", Reply("t", image=PNG))
        [upload] = slack_api.of("upload")
        assert Image.open(io.BytesIO(upload.body)).format == "PNG"
        [done] = slack_api.of("files.completeUploadExternal")
        assert done.payload["thread_ts"] == ts
        assert done.payload["channel_id"] == "C1"

    async def test_a_rate_limit_is_waited_out_and_posted_once(
        self, slack_api: FakeSlackApi
    ) -> None:
        slack_api.rate_limit = 1
        await slack_sender(slack_api).send("slack", "T1", "C1", REPLY)
        assert len(slack_api.of("chat.postMessage")) == 2  # the 429, then the post

    async def test_a_refusal_is_definite(self, slack_api: FakeSlackApi) -> None:
        slack_api.error = "channel_not_found"
        with pytest.raises(DeliveryRejected, match="channel_not_found"):
            await slack_sender(slack_api).send("slack", "T1", "C1", REPLY)

    async def test_an_unknown_workspace_is_refused_without_a_call(
        self, slack_api: FakeSlackApi
    ) -> None:
        with pytest.raises(DeliveryRejected, match="not_installed") as refused:
            await slack_sender(slack_api).send("slack", "T2", "C1", REPLY)
        assert refused.value.permanent
        assert slack_api.seen == []


class TestSlackRefusals:
    """Slack's answers when the bot may not post: permanent, each with what to do."""

    @pytest.mark.parametrize(("standing", "error", "says"), [
        ({"private": {"C9"}}, "channel_not_found", "/invite @togglbot"),
        ({"archived": {"C9"}}, "is_archived", "unarchive it"),
        ({"scopes": {"commands", "chat:write"}}, "not_in_channel", "`chat:write.public`"),
        ({"scopes": {"commands"}}, "missing_scope", "`chat:write` permission"),
    ])
    async def test_refusals_are_permanent_and_say_how_to_fix_them(
        self, slack_api: FakeSlackApi, standing: dict[str, set[str]], error: str, says: str
    ) -> None:
        slack_api.workspace = Workspace(**standing)
        with pytest.raises(DeliveryRejected, match=error) as refused:
            await slack_sender(slack_api).send("slack", "T1", "C9", REPLY)
        assert refused.value.permanent
        assert says in refused.value.refusal.fix

    async def test_a_channel_the_bot_was_invited_to_needs_no_public_scope(
        self, slack_api: FakeSlackApi
    ) -> None:
        slack_api.workspace = Workspace(scopes={"chat:write", "files:write"},
                                        private={"C9"}, member_of={"C9"})
        await slack_sender(slack_api).send("slack", "T1", "C9", REPLY)
        assert len(slack_api.of("chat.postMessage")) == 1

    async def test_still_rate_limited_is_worth_another_try(self, slack_api: FakeSlackApi) -> None:
        slack_api.rate_limit = 10
        with pytest.raises(DeliveryRejected, match="ratelimited") as refused:
            await slack_sender(slack_api).send("slack", "T1", "C1", REPLY)
        assert not refused.value.permanent

    async def test_without_files_write_the_message_goes_out_and_the_chart_does_not(
        self, slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture
    ) -> None:
        slack_api.workspace = Workspace(scopes={"commands", "chat:write", "chat:write.public"})
        await slack_sender(slack_api).send("slack", "T1", "C1", Reply("t", image=PNG))
        assert len(slack_api.of("chat.postMessage")) == 1
        assert slack_api.of("upload") == []
        assert "refused: missing_scope (needed: files:write)" in caplog.text

    async def test_the_person_is_told_in_the_apps_dm(self, slack_api: FakeSlackApi) -> None:
        slack_api.workspace = Workspace(private={"C9"})
        await slack_sender(slack_api).tell(Channel("slack", "T1", "C9"), "U7", Reply("Why"))
        [dm] = slack_api.of("chat.postMessage")
        assert dm.token == "xoxb-team-one" and dm.payload["channel"] == "U7"
        assert "<#C9>" in str(dm.payload["blocks"])


class TestDiscord:
    async def test_posts_an_embed_with_the_chart_attached(
        self, discord_api: FakeDiscordApi
    ) -> None:
        sender = DiscordSender(SecretStr("discord-bot-token"))
        try:
            message_id = await sender.send("discord", "discord", "123", Reply("t", image=PNG))
            await sender.send("discord", "discord", "123", REPLY)
        finally:
            await sender.aclose()
        assert message_id.isdigit()
        posts = [s for s in discord_api.seen if s.name == "POST /channels/123/messages"]
        assert len(discord_api.seen) - len(posts) == 2  # one login (two calls) for both posts
        with_chart, plain = posts[0].body, posts[1].body
        assert b'filename="files[0]"' in with_chart or b"digest.png" in with_chart
        assert b"attachment://digest.png" in with_chart
        assert b"Daily digest" in plain and b'"parse":[]' in plain.replace(b" ", b"")

    async def test_a_refusal_is_definite(self, discord_api: FakeDiscordApi) -> None:
        discord_api.refuse = 403
        sender = DiscordSender(SecretStr("discord-bot-token"))
        try:
            with pytest.raises(DeliveryRejected, match="403") as refused:
                await sender.send("discord", "discord", "123", REPLY)
        finally:
            await sender.aclose()
        assert refused.value.permanent
        assert "Attach Files" in refused.value.refusal.fix

    async def test_the_person_is_told_in_a_dm(self, discord_api: FakeDiscordApi) -> None:
        sender = DiscordSender(SecretStr("discord-bot-token"))
        try:
            await sender.tell(Channel("discord", "discord", "123"), "777", Reply("Why"))
        finally:
            await sender.aclose()
        [opened] = [s for s in discord_api.seen if s.name == "POST /users/@me/channels"]
        assert json.loads(opened.body)["recipient_id"] == 777
        [dm] = [s for s in discord_api.seen if s.name == "POST /channels/555/messages"]
        assert b"<#123>" in dm.body


async def test_a_platform_without_a_sender_is_refused(slack_api: FakeSlackApi) -> None:
    with pytest.raises(DeliveryRejected, match="does not post to discord"):
        await PlatformSender(slack_sender(slack_api)).send("discord", "d", "1", REPLY)


@pytest.fixture
async def toggl_url(fake_toggl: TogglEmulator) -> AsyncIterator[str]:
    with serve_toggl(fake_toggl) as url:
        yield url + "/api/v9"


async def test_the_worker_process_posts_a_digest_to_slack(
    sqlite_url: str, slack_api: FakeSlackApi, toggl_url: str, fake_toggl: TogglEmulator,
    clock: ManualClock,
) -> None:
    key = TokenCipher.generate_key()
    settings = Settings(
        _env_file=None, DATABASE_URL=sqlite_url, TOKEN_ENCRYPTION_KEY=SecretStr(key),
        SLACK_BOT_TOKEN=SecretStr("xoxb-single"), SLACK_API_URL=slack_api.base_url + "/api/",
        TOGGL_API_URL=toggl_url,
    )
    migrate.upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    accounts = SqlAccountStore(engine, TokenCipher.from_setting(key))
    member, user = await add_member(fake_toggl, accounts, "ada", "Ada Lovelace")
    start = at("2026-11-24T09:00+00:00")
    fake_toggl.add_entry(user, user.default_workspace_id, "Docs", start, start + timedelta(hours=2))
    digest = await SqlDigestStore(engine).subscribe(
        Channel("slack", "T1", "C1"), Schedule(time(18), "Europe/Berlin")
    )
    await SqlDigestStore(engine).join(digest.id, member)
    await engine.dispose()
    clock.set(at("2026-11-24T17:00+00:00"))

    async with digest_scheduler(settings, clock=clock) as scheduler:
        assert await scheduler.run_once() == {"posted": 1}
        assert await scheduler.run_once() == {}

    [post] = slack_api.of("chat.postMessage")
    assert post.token == "xoxb-single"
    assert post.payload["text"] == "Daily digest · Tue 24 Nov"
    assert "Ada Lovelace · 2h 00m" in str(post.payload["blocks"])
    [upload] = slack_api.of("upload")
    assert Image.open(io.BytesIO(upload.body)).size == (640, 100)


async def test_the_worker_tells_whoever_set_it_up_when_slack_refuses_for_good(
    sqlite_url: str, slack_api: FakeSlackApi, toggl_url: str, clock: ManualClock,
) -> None:
    """A private channel the bot was never invited to: one DM, no retries, digest off."""
    key = TokenCipher.generate_key()
    settings = Settings(
        _env_file=None, DATABASE_URL=sqlite_url, TOKEN_ENCRYPTION_KEY=SecretStr(key),
        SLACK_BOT_TOKEN=SecretStr("xoxb-single"), SLACK_API_URL=slack_api.base_url + "/api/",
        TOGGL_API_URL=toggl_url,
    )
    slack_api.workspace = Workspace(private={"G1"})
    migrate.upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    digests = SqlDigestStore(engine)
    channel = Channel("slack", "T1", "G1")
    await digests.subscribe(channel, Schedule(time(18), "Europe/Berlin"), set_up_by="U7")
    clock.set(at("2026-11-24T17:00+00:00"))

    async with digest_scheduler(settings, clock=clock) as scheduler:
        assert await scheduler.run_once() == {"refused": 1}
        clock.advance(minutes=30)
        assert await scheduler.run_once() == {}

    [refused, dm] = slack_api.of("chat.postMessage")
    assert refused.payload["channel"] == "G1"
    assert dm.payload["channel"] == "U7" and dm.token == "xoxb-single"
    told = str(dm.payload["blocks"])
    assert "`channel_not_found`" in told and "/invite @togglbot" in told and "<#G1>" in told
    found = await digests.find(channel)
    assert found is not None and not found.enabled
    await engine.dispose()


async def test_in_background_beside_another_server(
    sqlite_url: str, slack_api: FakeSlackApi, toggl_url: str,
) -> None:
    """`togglbot run` on SQLite: the scheduler runs as a task in the same process."""
    key = TokenCipher.generate_key()
    settings = Settings(
        _env_file=None, DATABASE_URL=sqlite_url, TOKEN_ENCRYPTION_KEY=SecretStr(key),
        SLACK_BOT_TOKEN=SecretStr("xoxb-single"), SLACK_API_URL=slack_api.base_url + "/api/",
        TOGGL_API_URL=toggl_url,
    )
    migrate.upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    # 00:00 UTC has passed today whenever this runs: the first round (real clock) posts it.
    await SqlDigestStore(engine).subscribe(Channel("slack", "T1", "C1"), Schedule(time(0), "UTC"))
    await engine.dispose()
    posted = threading.Event()
    slack_api.on_post = posted.set
    async with in_background(settings):
        assert await asyncio.get_running_loop().run_in_executor(None, posted.wait, 20)
    assert len(slack_api.of("chat.postMessage")) == 1
