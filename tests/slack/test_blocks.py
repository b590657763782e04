"""Block Kit rendering: everything fits Slack's limits and nothing typed can ping."""

from __future__ import annotations

from adapters.slack.blocks import MAX_MESSAGE_BLOCKS, escape, message, reply_blocks
from adapters.slack.views import Origin, home_view, login_modal
from bot.emulator import TogglEmulator
from bot.replies import Button, Field, Reply, Tone
from tests.slack.fake_slack import MESSAGE_BLOCKS, VIEW_BLOCKS, block_problems, payload_problems
from tests.slack.slack_side import SlackSide, buttons, text_of

PING = "<!channel> & <@U123> <https://evil.example|click>"

HUGE = Reply(
    title="T" * 5000,
    lines=tuple("line " * 100 for _ in range(200)),
    fields=tuple(Field(f"project {i} " * 30, "9h 59m " * 400) for i in range(300)),
    buttons=tuple(Button("B" * 100, "stop " * 500) for _ in range(30)),
    usage="summary " * 600,
    footer="⚠ " * 2000,
    tone=Tone.ERROR,
)


class TestLimits:
    def test_a_huge_reply_is_cut_to_fit_a_message(self) -> None:
        blocks = reply_blocks(HUGE, share="summary week")
        assert len(blocks) == MAX_MESSAGE_BLOCKS
        assert block_problems(blocks, MESSAGE_BLOCKS) == []
        kinds = [b["type"] for b in blocks]
        assert kinds[-3:] == ["context", "context", "actions"]  # usage, footer, buttons kept
        assert "more not shown" in text_of(blocks[-4:-3])
        assert len(buttons(blocks)) == 25

    def test_fields_come_ten_to_a_section(self) -> None:
        reply = Reply("Week", fields=tuple(Field(f"p{i}", "1h") for i in range(23)))
        sections = [b for b in reply_blocks(reply) if "fields" in b]
        assert [len(b["fields"]) for b in sections] == [10, 10, 3]

    def test_views_fit_too(self) -> None:
        home = home_view(HUGE, notice=HUGE)
        assert payload_problems("views.publish", {"view": home}) == []
        assert len(home["blocks"]) <= VIEW_BLOCKS
        modal = login_modal(HUGE, Origin("https://hooks.slack.test/x" * 200, home=True))
        assert payload_problems("views.open", {"view": modal}) == []

    async def test_a_long_project_list_arrives_whole_or_cut_never_refused(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        workspace = fake_toggl.workspace_ids()[0]
        for i in range(150):
            fake_toggl.add_project(workspace, f"Project {i:03} " + "x" * 60)
        await ada.command("projects")
        [answer] = await ada.fake.wait_for("respond")
        assert block_problems(answer.payload["blocks"], MESSAGE_BLOCKS) == []
        assert "Project 000" in text_of(answer.payload["blocks"])


def mrkdwn_texts(blocks: list[dict]) -> list[str]:
    objects = [o for b in blocks for o in [b.get("text"), *b.get("fields", []),
                                           *b.get("elements", [])] if isinstance(o, dict)]
    return [o["text"] for o in objects if o.get("type") == "mrkdwn"]


class TestEscaping:
    def test_nothing_typed_reaches_slack_as_markup(self) -> None:
        reply = Reply(
            title=f"Started “{PING}”",
            lines=(PING,),
            fields=(Field(PING, PING),),
            footer=PING,
            usage=PING,
            buttons=(Button(PING, "stop"),),
        )
        payload = message(reply)
        texts = [payload["text"], *mrkdwn_texts(payload["blocks"])]
        for text in texts:
            assert "<!channel>" not in text and "<@U123>" not in text and "<https" not in text
        assert len(texts) == 6
        assert all("&lt;!channel&gt; &amp; &lt;@U123&gt;" in text for text in texts)
        # Plain-text objects (button labels) are never parsed for mentions.
        assert all(b["text"]["type"] == "plain_text" for b in buttons(payload["blocks"]))

    def test_mrkdwn_is_verbatim_so_bare_names_are_not_linked(self) -> None:
        blocks = reply_blocks(Reply("@here", lines=("#general",)))
        assert all(b["text"]["verbatim"] for b in blocks if "text" in b)

    def test_escape_is_exactly_the_three_characters(self) -> None:
        assert escape("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d \"e\" 'f'"


class TestOrigin:
    def test_round_trip_and_garbage(self) -> None:
        origin = Origin("https://hooks.slack.test/1", home=True)
        assert Origin.load(origin.dump()) == origin
        assert Origin.load("not json") == Origin() == Origin.load(None)
        assert Origin.load("[1, 2]") == Origin()
