"""`/toggl digest at` in Slack: the set-up notice is the bot's own post, so it is the check.

Through the real bolt app against the fake Slack, which refuses posts as Slack does: a
private channel the bot wasn't invited to, a public one without `chat:write.public`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.digest.model import Channel, Digest
from bot.store.digests import SqlDigestStore
from bot.store.engine import create_engine_for
from tests.slack.conftest import settle
from tests.slack.slack_rules import Workspace
from tests.slack.slack_side import BOT_TOKEN, SlackSide, text_of

HERE = Channel("slack", "T1", "C1")  # where SlackSide types its commands


@pytest.fixture
async def digests(sqlite_url: str) -> AsyncIterator[SqlDigestStore]:
    engine = create_engine_for(sqlite_url)
    yield SqlDigestStore(engine)
    await engine.dispose()


async def set_up(slack: SlackSide, text: str = "digest at 18:00 Europe/Berlin") -> None:
    response, _ = await slack.command(text)
    assert response.status_code == 200
    await settle()


async def found(digests: SqlDigestStore) -> Digest | None:
    return await digests.find(HERE)


class TestWhereTheBotMayPost:
    async def test_a_public_channel_gets_the_notice_from_the_bot_itself(
        self, slack: SlackSide, digests: SqlDigestStore
    ) -> None:
        await set_up(slack)
        [notice] = slack.fake.of("chat.postMessage")
        assert notice.token == BOT_TOKEN and notice.payload["channel"] == "C1"
        assert notice.payload["text"] == "Daily digest: 18:00 Europe/Berlin, every day"
        assert "Set up by <@U1>" in text_of(notice.payload["blocks"])
        assert slack.fake.of("respond") == []  # nothing more to say: the channel saw it
        digest = await found(digests)
        assert digest is not None and digest.enabled and digest.set_up_by == "U1"

    async def test_a_private_channel_it_was_invited_to(
        self, slack: SlackSide, digests: SqlDigestStore
    ) -> None:
        slack.fake.workspace = Workspace(private={"C1"}, member_of={"C1"})
        await set_up(slack)
        assert len(slack.fake.of("chat.postMessage")) == 1
        assert await found(digests) is not None

    async def test_a_private_channel_it_was_not_invited_to_says_how_to_fix_it(
        self, slack: SlackSide, digests: SqlDigestStore
    ) -> None:
        slack.fake.workspace = Workspace(private={"C1"})
        await set_up(slack)
        [answer] = await slack.fake.wait_for("respond")
        assert answer.payload["response_type"] == "ephemeral"
        shown = text_of(answer.payload["blocks"])
        assert "I can't post in this channel (`channel_not_found`)" in shown
        assert "/invite @togglbot" in shown and "nothing was set up" in shown
        assert await found(digests) is None

    async def test_an_installation_without_chat_write_public_names_both_fixes(
        self, slack: SlackSide, digests: SqlDigestStore
    ) -> None:
        slack.fake.workspace = Workspace(scopes={"commands", "chat:write", "files:write"})
        await set_up(slack)
        [answer] = await slack.fake.wait_for("respond")
        shown = text_of(answer.payload["blocks"])
        assert "`not_in_channel`" in shown and "/invite @togglbot" in shown
        assert "reinstall the app" in shown and "`chat:write.public`" in shown
        assert await found(digests) is None

    async def test_without_files_write_it_is_set_up_and_the_person_hears_about_the_chart(
        self, slack: SlackSide, digests: SqlDigestStore
    ) -> None:
        slack.fake.workspace = Workspace(scopes={"commands", "chat:write", "chat:write.public"})
        await set_up(slack)
        assert len(slack.fake.of("chat.postMessage")) == 1
        [answer] = await slack.fake.wait_for("respond")
        assert answer.payload["response_type"] == "ephemeral"
        assert "`files:write`" in text_of(answer.payload["blocks"])
        assert await found(digests) is not None

    async def test_a_refusal_keeps_an_existing_schedule(
        self, slack: SlackSide, digests: SqlDigestStore
    ) -> None:
        await set_up(slack)
        slack.fake.workspace = Workspace(archived={"C1"})
        await set_up(slack, "digest at 07:00 UTC")
        [answer] = await slack.fake.wait_for("respond")
        assert "`is_archived`" in text_of(answer.payload["blocks"])
        digest = await found(digests)
        assert digest is not None and digest.schedule.timezone == "Europe/Berlin"


async def test_slack_still_rate_limiting_is_a_try_again_not_a_fix(
    slack: SlackSide, digests: SqlDigestStore
) -> None:
    slack.fake.rate_limit("chat.postMessage", times=10)
    await set_up(slack)
    [answer] = await slack.fake.wait_for("respond")
    shown = text_of(answer.payload["blocks"])
    assert "`ratelimited`" in shown and "try again in a minute" in shown
    assert await found(digests) is None
