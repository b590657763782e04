"""The web process's configuration: Slack optional, half a configuration refused."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from adapters.slack import slack_setup
from adapters.slack.manifest import MAX_USAGE_HINT, render, usage_hint
from adapters.web import create_web_app
from bot.commands import DECLARATIONS
from bot.config import Settings
from bot.errors import ConfigError
from tests.slack.conftest import slack_settings
from tests.slack.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]


def bare_settings(**values: object) -> Settings:
    names = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
             "SLACK_CLIENT_SECRET", "TOKEN_ENCRYPTION_KEY")
    return Settings(_env_file=None, **{**dict.fromkeys(names), **values})  # type: ignore[arg-type]


async def test_without_slack_settings_only_healthz_is_served_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        app = create_web_app(bare_settings())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://web.test") as web:
            assert (await web.get("/healthz")).json() == {"status": "ok"}
            assert (await web.post("/slack/events", content="x")).status_code == 404
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Slack is not configured" in warnings[0].getMessage()


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({"SLACK_BOT_TOKEN": SecretStr("xoxb-1")}, id="no-secret-no-app-token"),
        pytest.param({"SLACK_SIGNING_SECRET": SecretStr("s")}, id="no-bot-token"),
        pytest.param({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": SecretStr("s")},
                     id="oauth-without-client-secret"),
    ],
)
def test_half_a_configuration_is_a_clear_error(values: dict[str, object]) -> None:
    with pytest.raises(ConfigError) as raised:
        slack_setup(bare_settings(**values))
    assert "SLACK_" in raised.value.message


def test_the_modes_follow_the_settings(fake_slack: FakeSlack) -> None:
    single = slack_setup(slack_settings(fake_slack, "sqlite://"))
    assert single is not None and (single.http, single.oauth, single.socket) == (True, False, False)
    socket = slack_setup(bare_settings(SLACK_BOT_TOKEN=SecretStr("xoxb-1"),
                                       SLACK_APP_TOKEN=SecretStr("xapp-1")))
    assert socket is not None and (socket.http, socket.socket) == (False, True)


def test_slack_without_an_encryption_key_fails_before_serving() -> None:
    settings = bare_settings(SLACK_BOT_TOKEN=SecretStr("xoxb-1"),
                             SLACK_SIGNING_SECRET=SecretStr("s"))
    with pytest.raises(ConfigError, match="TOKEN_ENCRYPTION_KEY"):
        create_web_app(settings)


def test_the_committed_manifest_is_the_generated_one() -> None:
    committed = (ROOT / "slack-manifest.yml").read_text()
    assert committed == render(), "run: python -m adapters.slack.manifest --write-tracked"


def test_the_usage_hint_comes_from_the_grammar() -> None:
    hint = usage_hint()
    assert hint.startswith("start [description] [@project] [#tag ...] …")
    assert len(hint) < MAX_USAGE_HINT  # nothing cut off
    assert all(re.search(rf"\b{decl.name.split()[0]}\b", hint) for decl in DECLARATIONS[1:])


def test_the_adapter_imports_no_sql_and_the_core_no_slack() -> None:
    def imports(folder: str, module: str) -> list[str]:
        return [
            str(path.relative_to(ROOT))
            for path in (ROOT / folder).rglob("*.py")
            if re.search(rf"^\s*(from|import) {module}\b", path.read_text(), re.MULTILINE)
        ]

    assert imports("adapters/slack", "sqlalchemy") == []
    assert imports("bot", "slack_(sdk|bolt)") == []
