"""Fuzzing the Slack endpoint: any text, any body, signed or not, never a 500 or a trace."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.slack.conftest import settle
from tests.slack.slack_side import SlackSide

# Several thousand cases in CI; fewer locally so the suite stays quick.
EXAMPLES = 1500 if os.environ.get("CI") else 200
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = st.sampled_from([
    "<!channel>", "<!everyone>", "@everyone", "<@U2>", "*bold* _it_ ~s~", "```", "&amp;&lt;",
    "\u202e\u2066RTL", "👩‍💻🕒", "'; DROP TABLE users; --", "\x00\x07", "%s%n", "{0}", "\\",
])
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(NASTY, st.sampled_from(["start", "stop", "@", "#", "$", "summary",
                                               "..", "2026-02-30", "login", "digest at"]),
                       st.text(max_size=12)), max_size=12).map(" ".join),
    st.text(min_size=3000, max_size=5000),
)


@FUZZ
@given(text=TEXTS, user=st.integers(min_value=100, max_value=10**6))
async def test_any_command_text_is_acked_and_answered(
    slack: SlackSide, text: str, user: int
) -> None:
    response, _ = await slack.command(text, user=f"U{user}")
    assert response.status_code == 200


@FUZZ
@given(body=st.text(max_size=500), signed=st.booleans())
async def test_any_body_is_refused_or_ignored_never_a_crash(
    slack: SlackSide, body: str, signed: bool
) -> None:
    response = await slack.post(body, signed=signed)
    assert response.status_code in (200, 400, 401, 404)
    if not signed:
        assert response.status_code == 401


async def test_fuzzed_answers_read_well(slack: SlackSide) -> None:
    for text in ("<!channel> start", "start <!channel> @everyone", "\u202e" * 50, "x" * 5000):
        await slack.command(text, user="U77")
    await settle()
    answers = await slack.fake.wait_for("respond", count=4)
    for answer in answers:
        text = answer.payload.get("text", "") + str(answer.payload.get("blocks", ""))
        assert text
        assert "Traceback" not in text and "went wrong on our side" not in text
        assert "<!channel>" not in text and "@everyone" not in text.replace("&lt;", "")
