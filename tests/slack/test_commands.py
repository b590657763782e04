"""`/toggl <text>` end to end: signed command in, ephemeral Block Kit answer out."""

from __future__ import annotations

import time

from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.slack.slack_side import SlackSide, button, buttons, text_of


def ada_id(fake_toggl: TogglEmulator) -> int:
    return fake_toggl.user_ids()[0]


class TestTimer:
    async def test_start_answers_privately_with_a_stop_button(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        response, hook = await ada.command("start meeting @Website #meeting")
        assert response.status_code == 200 and response.text == ""  # the ack: empty, at once
        [answer] = await ada.fake.wait_for("respond")
        assert answer.path == hook
        assert answer.payload["response_type"] == "ephemeral"
        shown = text_of(answer.payload["blocks"])
        assert "Started “meeting”" in shown and "Website · Acme" in shown
        assert button(answer.payload["blocks"], "Stop")["value"] == "stop"
        running = fake_toggl.running(ada_id(fake_toggl))
        assert running is not None and running.description == "meeting"
        assert fake_toggl.count() == 1, [(r.method, r.path) for r in fake_toggl.requests]

    async def test_current_shows_elapsed_time_then_stop_offers_continue(
        self, ada: SlackSide, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.command("start deep work")
        await ada.fake.wait_for("respond")
        clock.advance(minutes=42)
        await ada.command("current")
        [_, current] = await ada.fake.wait_for("respond", 2)
        assert "Running for 42" in text_of(current.payload["blocks"])

        await ada.click(button(current.payload["blocks"], "Stop"))
        [*_, stopped] = await ada.fake.wait_for("respond", 3)
        assert stopped.payload["replace_original"] is True  # their own private message
        assert "Stopped “deep work” after 42" in text_of(stopped.payload["blocks"])
        assert [b["text"]["text"] for b in buttons(stopped.payload["blocks"])] == ["Continue"]
        assert fake_toggl.running(ada_id(fake_toggl)) is None

        await ada.click(button(stopped.payload["blocks"], "Continue"))
        [*_, continued] = await ada.fake.wait_for("respond", 4)
        assert "Continued “deep work”" in text_of(continued.payload["blocks"])
        assert fake_toggl.running(ada_id(fake_toggl)) is not None

    async def test_the_ack_does_not_wait_for_a_slow_toggl(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(None, method="POST", delay=1.0)  # Toggl takes a second
        started = time.monotonic()
        response, _ = await ada.command("start slow")
        assert response.status_code == 200
        assert time.monotonic() - started < 0.5
        [answer] = await ada.fake.wait_for("respond")
        assert "Started “slow”" in answer.payload["text"]


class TestSummary:
    async def test_summary_lists_projects_and_can_be_shared(
        self, ada: SlackSide, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.command("start design @Website")
        clock.advance(hours=1)
        await ada.command("summary")
        [_, summary] = await ada.fake.wait_for("respond", 2)
        blocks = summary.payload["blocks"]
        assert any("fields" in b for b in blocks) or "Website" in text_of(blocks)
        assert "Website" in text_of(blocks)
        share = button(blocks, "Share to channel")
        assert share["value"] == "summary"

        await ada.click(share)
        [*_, shared] = await ada.fake.wait_for("respond", 3)
        assert shared.payload["response_type"] == "in_channel"
        assert shared.payload["replace_original"] is False
        assert "Website" in text_of(shared.payload["blocks"])
        assert "Shared by <@U1>" in text_of(shared.payload["blocks"])
        assert buttons(shared.payload["blocks"]) == []  # nobody else's Stop in the channel


class TestAnswers:
    async def test_every_command_of_the_grammar_answers(self, ada: SlackSide) -> None:
        from bot.commands import DECLARATIONS as SPECS

        typed = {"login": "help login"}  # a bare `login` opens a modal instead
        for spec in SPECS:
            if spec.name == "logout":
                continue  # would end the session for the commands after it
            example = spec.examples[0] if spec.examples else spec.name
            await ada.command(typed.get(spec.name, example))
        # `digest at` posts its notice in the channel as the bot instead of responding.
        [notice] = await ada.fake.wait_for("chat.postMessage")
        assert "Daily digest" in notice.payload["text"]
        answers = await ada.fake.wait_for("respond", len(SPECS) - 2)
        for answer in answers:
            assert answer.payload["blocks"], answer.payload
            assert ":x:" not in answer.payload["blocks"][0]["text"]["text"], answer.payload

    async def test_errors_show_the_usage_in_a_context_block(self, ada: SlackSide) -> None:
        await ada.command("summary someday")
        [answer] = await ada.fake.wait_for("respond")
        blocks = answer.payload["blocks"]
        assert blocks[0]["text"]["text"].startswith(":x:")
        usage = [b for b in blocks if b["type"] == "context"]
        assert "Usage: `/toggl summary [today|yesterday" in text_of(usage)

    async def test_not_connected_says_how_to_connect(self, slack: SlackSide) -> None:
        await slack.command("stop", user="U9")
        [answer] = await slack.fake.wait_for("respond")
        assert "not connected" in answer.payload["text"]

    async def test_typed_mentions_are_escaped_and_never_ping(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        # Slack sends &, < and > in command text as entities.
        await ada.command("start &lt;!channel&gt; review &amp; &lt;@U123&gt;")
        [answer] = await ada.fake.wait_for("respond")
        running = fake_toggl.running(ada_id(fake_toggl))
        assert running is not None and running.description == "<!channel> review & <@U123>"
        sent = answer.payload["text"] + text_of(answer.payload["blocks"])
        assert "&lt;!channel&gt; review &amp; &lt;@U123&gt;" in sent
        assert "<!channel>" not in sent and "<@U123>" not in sent


class TestFollowUps:
    async def test_follow_ups_share_one_connection(self, ada: SlackSide) -> None:
        # Issue 20: bolt's respond() opened a session and a TCP connection per follow-up.
        for done, text in enumerate(("start one", "current", "stop"), start=1):
            await ada.command(text)
            await ada.fake.wait_for("respond", done)
        peers = {call.peer for call in ada.fake.of("respond")}
        assert len(peers) == 1, peers


async def test_a_command_may_say_payload(ada: SlackSide) -> None:
    """Bolt alone read any form body containing the word "payload" as an interaction."""
    response, _ = await ada.command("start Review the payload format")
    assert response.status_code == 200
    [answer] = await ada.fake.wait_for("respond")
    assert answer.payload["text"] == "Started “Review the payload format”"
