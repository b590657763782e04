"""Track this message, a channel's project and the status, through the real bolt app."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text

from adapters.slack import track
from bot import migrate
from bot.emulator import TogglEmulator
from bot.store.engine import create_engine_for
from bot.testing.clock import ManualClock
from tests.slack.conftest import running, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_rules import UserToken
from tests.slack.slack_side import BOT_TOKEN, SlackSide, button, text_of
from tests.toggl_fixtures import ADA_TOKEN

ONE_TOKEN = "xoxb-one-bot-token"  # a test value
ADA_USER_TOKEN = "xoxp-ada-user-token"  # a test value
CLIENT_SECRET = "test-client-secret"


def shortcut(slack: SlackSide, text: str, *, user: str = "U1") -> dict[str, Any]:
    """A message shortcut's payload, shaped as Slack's reference documents it."""
    return {
        "type": "message_action",
        "callback_id": track.SHORTCUT,
        "trigger_id": slack.next_id("trigger-"),
        "response_url": slack.fake.response_url(slack.next_id("short-")),
        "action_ts": "1700000001.000200",
        "message_ts": "1700000000.000100",
        "team": {"id": "T1", "domain": "fake"},
        "user": {"id": user, "name": user.lower(), "team_id": "T1"},
        "channel": {"id": "C1", "name": "website"},
        "message": {"type": "message", "user": "U7", "ts": "1700000000.000100",
                    "text": text},
        "token": "legacy-verification-token",
    }


def submission(view: dict[str, Any], values: dict[str, Any], user: str = "U1") -> dict[str, Any]:
    state = {block: {block: value} for block, value in values.items()}
    return {
        "type": "view_submission",
        "user": {"id": user, "team_id": "T1"},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "trigger_id": "trigger-submit",
        "view": {**view, "id": "VTRACK", "team_id": "T1", "state": {"values": state}},
    }


def filled(view: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The form's values as Slack sends them when submitted unchanged (or with changes)."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block["element"]
        if element["type"] == "plain_text_input":
            values[block["block_id"]] = {"type": "plain_text_input",
                                         "value": element.get("initial_value")}
        else:
            values[block["block_id"]] = {"type": element["type"],
                                         "selected_option": element["initial_option"]}
    for name, value in changes.items():
        if isinstance(value, dict):
            values[name] = {"type": "static_select", "selected_option": value}
        else:
            values[name] = {"type": "plain_text_input", "value": value}
    return values


class TestTrackThisMessage:
    async def test_the_form_has_the_message_as_plain_text_and_the_channels_project(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        await ada.command("channel project @Website #meeting")
        [told] = await ada.fake.wait_for("respond")
        assert told.payload["response_type"] == "in_channel"
        message = ("  *Please* review <https://x.test/pr/7|the pull request> for <@U7|bob> "
                   "in <#C9|web> :eyes: &amp; ship it <!here>  ")
        answer = await ada.interaction(shortcut(ada, message))
        assert answer.status_code == 200
        [opened] = await ada.fake.wait_for("views.open")
        view = opened.payload["view"]
        inputs = {b["block_id"]: b["element"] for b in view["blocks"]}
        assert inputs["description"]["initial_value"] == (
            "Please review the pull request for @bob in #web & ship it @here")
        assert inputs["project"]["initial_value"] == "Website"
        assert inputs["tags"]["initial_value"] == "meeting"
        assert fake_toggl.count() == 0  # opening the form asks Toggl nothing

    async def test_submitting_starts_it_with_one_request(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        await ada.interaction(shortcut(ada, "Fix the login bug"))
        [opened] = await ada.fake.wait_for("views.open")
        view = opened.payload["view"]
        done = await ada.interaction(submission(view, filled(view, project="Webs")))
        assert done.status_code == 200
        body = done.json()
        assert body["response_action"] == "update"
        assert "Started “Fix the login bug”" in text_of(body["view"]["blocks"])
        assert fake_toggl.count() == 1
        entry = fake_toggl.running(fake_toggl.user_ids()[0])
        assert entry is not None and entry.description == "Fix the login bug"

    async def test_add_with_a_duration(
        self, ada: SlackSide, fake_toggl: TogglEmulator
    ) -> None:
        await ada.interaction(shortcut(ada, "Support call"))
        [opened] = await ada.fake.wait_for("views.open")
        view = opened.payload["view"]
        add = {"text": {"type": "plain_text", "text": "Add"}, "value": track.ADD}
        hour = {"text": {"type": "plain_text", "text": "1h"}, "value": "1h"}
        values = filled(view)
        values["when"] = {"type": "radio_buttons", "selected_option": add}
        values["duration"] = {"type": "static_select", "selected_option": hour}
        body = (await ada.interaction(submission(view, values))).json()
        assert "Added “Support call”" in text_of(body["view"]["blocks"])
        [entry] = fake_toggl.entries(fake_toggl.user_ids()[0])
        assert entry.stop is not None and (entry.stop - entry.start).total_seconds() == 3600
        assert fake_toggl.count() == 1


async def _install(web: Any, fake: FakeSlack) -> None:
    """Install the app in T1 through Slack's OAuth, as a workspace admin would."""
    fake.teams[ONE_TOKEN] = "T1"
    fake.oauth_answer = {
        "access_token": ONE_TOKEN, "token_type": "bot", "scope": "commands,chat:write",
        "bot_user_id": "UBOT", "app_id": "A1", "team": {"id": "T1", "name": "One"},
        "enterprise": None, "is_enterprise_install": False, "authed_user": {"id": "U0"},
    }
    page = await web.get("/slack/install")
    state = re.search(r"state=([^&\"]+)", page.text)
    assert state is not None
    cookie = page.headers["set-cookie"].split(";")[0]
    done = await web.get(f"/slack/oauth_redirect?code=abc&state={state.group(1)}",
                         headers={"Cookie": cookie})
    assert done.status_code == 200, done.text


def _person_grants(fake: FakeSlack, user: str = "U1", token: str = ADA_USER_TOKEN) -> None:
    """What oauth.v2.access answers for a person's own authorization (user scope only)."""
    fake.user_tokens[token] = UserToken("T1", user)
    fake.oauth_answer = {
        "app_id": "A1", "team": {"id": "T1"}, "enterprise": None,
        "is_enterprise_install": False,
        "authed_user": {"id": user, "scope": "users.profile:write", "access_token": token,
                        "token_type": "user"},
    }


async def _said(slack: SlackSide, text: str, user: str = "U1") -> dict[str, Any]:
    before = len(slack.fake.of("respond"))
    await slack.command(text, user=user)
    calls = await slack.fake.wait_for("respond", before + 1)
    return calls[-1].payload


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
class TestStatus:
    @pytest.fixture
    async def web(
        self, fake_slack: FakeSlack, fake_toggl: TogglEmulator, clock: ManualClock,
        sqlite_url: str, toggl_token: str,
    ) -> Any:
        migrate.upgrade(sqlite_url)
        settings = slack_settings(
            fake_slack, sqlite_url, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="111.222",
            SLACK_CLIENT_SECRET=SecretStr(CLIENT_SECRET), PUBLIC_URL="https://togglbot.test",
        )
        async with running(settings, fake_toggl, clock) as web:
            await _install(web, fake_slack)
            slack = SlackSide(web, fake_slack)
            assert (await _said(slack, f"login {ADA_TOKEN}"))["text"].startswith("Connected")
            yield slack

    async def test_on_then_the_status_follows_the_timer_and_off_revokes(
        self, web: SlackSide, fake_toggl: TogglEmulator, sqlite_url: str
    ) -> None:
        fake = web.fake
        allow = button((await _said(web, "status on"))["blocks"], "Allow in Slack")
        url = urlparse(allow["url"])
        query = parse_qs(url.query)
        assert url.netloc == "slack.com" and query["user_scope"] == ["users.profile:write"]
        assert query["redirect_uri"] == ["https://togglbot.test/slack/status_redirect"]
        assert query["team"] == ["T1"] and "scope" not in query  # no bot scope asked again
        clicked, _ = await web.click(allow)  # Slack tells the app of a link's click too
        assert clicked.status_code == 200 and len(fake.of("respond")) == 2  # login, status on
        _person_grants(fake)
        back = await web.web.get("/slack/status_redirect",
                                 params={"code": "c1", "state": query["state"][0]})
        assert back.status_code == 200, back.text

        engine = create_engine_for(sqlite_url)
        async with engine.connect() as conn:
            stored = await conn.scalar(text("SELECT token_ciphertext FROM status_links"))
        await engine.dispose()
        assert stored is not None and ADA_USER_TOKEN.encode() not in stored

        fake_toggl.reset_log()
        await _said(web, "start Homepage copy")
        [shown] = await fake.wait_for("users.profile.set")
        assert shown.token == ADA_USER_TOKEN
        assert fake.statuses["U1"]["status_text"] == "Homepage copy"
        assert fake.statuses["U1"]["status_emoji"] == ":stopwatch:"
        assert fake.statuses["U1"]["status_expiration"] > 0
        assert fake_toggl.count() == 1  # the status costs no Toggl request

        await _said(web, "stop")
        await fake.wait_for("users.profile.set", 2)
        assert fake.statuses["U1"]["status_text"] == ""

        off = await _said(web, "status off")
        assert off["text"] == "Your status is yours again"
        [revoked] = fake.of("auth.revoke")
        assert revoked.token == ADA_USER_TOKEN and fake.user_tokens[ADA_USER_TOKEN].revoked
        await _said(web, "start Quietly")
        assert len(fake.of("users.profile.set")) == 3  # off: cleared once more, then none

    async def test_someone_elses_authorization_is_not_kept(
        self, web: SlackSide, sqlite_url: str
    ) -> None:
        allow = button((await _said(web, "status on"))["blocks"], "Allow in Slack")
        state = parse_qs(urlparse(allow["url"]).query)["state"][0]
        _person_grants(web.fake, user="U2", token="xoxp-u2-token")  # U2 used U1's link
        back = await web.web.get("/slack/status_redirect", params={"code": "c", "state": state})
        assert back.status_code == 403
        forged = await web.web.get("/slack/status_redirect",
                                   params={"code": "c", "state": state[:-1] + "x"})
        assert forged.status_code == 400
        await _said(web, "start Nothing shown")
        assert not web.fake.of("users.profile.set")


class TestTheFakeRefusesWhatSlackRefuses:
    async def test_a_bot_token_cannot_set_a_status(self, fake_slack: FakeSlack) -> None:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
        with pytest.raises(SlackApiError) as refused:
            await client.users_profile_set(profile={"status_text": "x"})
        assert refused.value.response["error"] == "not_allowed_token_type"

    async def test_a_user_token_without_the_scope_or_revoked(
        self, fake_slack: FakeSlack
    ) -> None:
        fake_slack.user_tokens["xoxp-none"] = UserToken("T1", "U1", scopes=set())
        client = AsyncWebClient(token="xoxp-none", base_url=fake_slack.api_url)
        with pytest.raises(SlackApiError) as refused:
            await client.users_profile_set(profile={"status_text": "x"})
        assert refused.value.response["error"] == "missing_scope"
        fake_slack.user_tokens["xoxp-ok"] = UserToken("T1", "U1")
        client = AsyncWebClient(token="xoxp-ok", base_url=fake_slack.api_url)
        with pytest.raises(SlackApiError) as too_long:
            await client.users_profile_set(profile={"status_text": "x" * 101})
        assert too_long.value.response["error"] == "invalid_profile"
        await client.auth_revoke()
        with pytest.raises(SlackApiError) as revoked:
            await client.users_profile_set(profile={"status_text": "x"})
        assert revoked.value.response["error"] == "invalid_auth"


class TestHome:
    async def test_continue_a_recent_entry_in_one_click(
        self, ada: SlackSide, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        from datetime import timedelta

        uid, wid = fake_toggl.user_ids()[0], fake_toggl.workspace_ids()[0]
        start = clock() - timedelta(hours=2)
        fake_toggl.add_entry(uid, wid, "Inbox zero", start, start + timedelta(minutes=20))
        fake_toggl.add_entry(uid, wid, "Code review", start + timedelta(minutes=30),
                             start + timedelta(minutes=50))
        await ada.home_opened()
        [home] = await ada.fake.wait_for("views.publish")
        blocks = home.payload["view"]["blocks"]
        assert "Recent: “Inbox zero”" in text_of(blocks)
        assert fake_toggl.count() == 1
        fake_toggl.reset_log()
        await ada.click(button(blocks, "Continue “Inbox zero”"), home=True)
        refreshed = await ada.fake.wait_for("views.publish", 2)
        assert "Started “Inbox zero”" in text_of(refreshed[-1].payload["view"]["blocks"])
        entry = fake_toggl.running(uid)
        assert entry is not None and entry.description == "Inbox zero"
        assert fake_toggl.count() == 2  # the start, then the refreshed Home's one look


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_a_person_revoking_the_permission_in_slack_is_forgotten(
    fake_slack: FakeSlack, fake_toggl: TogglEmulator, clock: ManualClock, sqlite_url: str,
    toggl_token: str,
) -> None:
    from tests.slack.conftest import settle

    migrate.upgrade(sqlite_url)
    settings = slack_settings(
        fake_slack, sqlite_url, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET=SecretStr(CLIENT_SECRET), PUBLIC_URL="https://togglbot.test",
    )
    async with running(settings, fake_toggl, clock) as web:
        await _install(web, fake_slack)
        slack = SlackSide(web, fake_slack)
        await _said(slack, f"login {ADA_TOKEN}")
        allow = button((await _said(slack, "status on"))["blocks"], "Allow in Slack")
        _person_grants(fake_slack)
        state = parse_qs(urlparse(allow["url"]).query)["state"][0]
        assert (await web.get("/slack/status_redirect",
                              params={"code": "c", "state": state})).status_code == 200
        revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}
        answer = await slack.post(slack.event_body(revoked), "application/json")
        await settle()
        assert answer.status_code == 200
        await _said(slack, "start Unseen")
        assert not fake_slack.of("users.profile.set")
