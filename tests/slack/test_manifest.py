"""The Slack manifest and README agree; Socket Mode has its own; the committed file is safe."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from adapters.slack import manifest as m
from adapters.slack.scopes import BOT_SCOPE_REASONS, BOT_SCOPES, USER_SCOPE_REASONS, USER_SCOPES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_every_scope_asked_for_is_in_readme_with_its_reason() -> None:
    asked = m.manifest()["oauth_config"]["scopes"]["bot"]
    assert asked == list(BOT_SCOPES)
    assert {"files:write", "chat:write.public"} <= set(asked)  # charts; uninvited channels
    table = README[README.index("| scope | why |"):].split("\n\n")[0]
    rows = dict(re.findall(r"^\s*\| `([a-z:.]+)` \| (.+) \|$", table, re.MULTILINE))
    assert set(rows) == set(asked)  # and README lists no scope the manifest doesn't ask for
    for scope, reason in BOT_SCOPE_REASONS.items():
        assert rows[scope].lower() == reason.lower()


def test_every_user_scope_is_in_readme_with_its_reason_and_used() -> None:
    asked = m.manifest()["oauth_config"]["scopes"]["user"]
    assert asked == list(USER_SCOPES) == ["users.profile:write"]
    table = README[README.index("| user scope | why |"):].split("\n\n")[0]
    rows = dict(re.findall(r"^\s*\| `([a-z:.]+)` \| (.+) \|$", table, re.MULTILINE))
    assert set(rows) == set(asked)
    for scope, reason in USER_SCOPE_REASONS.items():
        assert rows[scope].lower() == reason.lower()
    # Socket Mode can't send anyone back after an authorization: it asks for none.
    assert "user" not in m.manifest(socket_mode=True)["oauth_config"]["scopes"]


def test_the_message_shortcut_is_declared_and_the_status_redirect_allowed() -> None:
    made = m.manifest("https://h.example")
    [shortcut] = made["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["name"]) == ("message", "Track this message")
    assert shortcut["callback_id"] == "track_message"
    assert "https://h.example/slack/status_redirect" in made["oauth_config"]["redirect_urls"]
    assert "`track_message`" in README


def test_every_subscribed_event_is_in_readme() -> None:
    events = m.manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert all(f"`{event}`" in README for event in events)


def test_readme_names_the_admin_commands_and_the_single_workspace_migration() -> None:
    single = README[README.index("*One workspace*"):README.index("*Many workspaces*")]
    assert "togglbot db upgrade" in single
    assert "togglbot forget" in README and "togglbot --version" in README
    assert "--socket-mode" in README
    assert "> slack-manifest.yml" not in README  # the old instruction that overwrote it


def test_socket_mode_names_no_request_url() -> None:
    socket = m.manifest("https://x.example", socket_mode=True)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "http" not in json.dumps(socket)
    assert "socket_mode_enabled: true" in m.render(socket_mode=True)
    assert m.manifest()["settings"]["socket_mode_enabled"] is False


def test_the_digest_dm_has_a_read_only_messages_tab() -> None:
    home = m.manifest()["features"]["app_home"]
    assert home["messages_tab_enabled"] and home["messages_tab_read_only_enabled"]


class TestTheCommittedFile:
    @pytest.fixture
    def tracked(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        path = tmp_path / "slack-manifest.yml"
        path.write_text(m.render())
        monkeypatch.setattr(m, "TRACKED", path)
        return path

    def test_a_custom_host_redirected_into_it_is_refused_and_the_file_restored(
        self, tracked: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with tracked.open("w") as out:  # what the shell's `>` does before we run
            assert m.main(["https://mine.example"], out=out) == 2
        assert tracked.read_text() == m.render()
        assert "my-slack-manifest.yml" in capsys.readouterr().err

    def test_elsewhere_it_is_written(self, tracked: Path) -> None:
        out = io.StringIO()
        assert m.main(["https://mine.example"], out=out) == 0
        assert "https://mine.example/slack/events" in out.getvalue()

    def test_write_tracked_keeps_the_placeholder(self, tracked: Path) -> None:
        tracked.write_text("stale")
        assert m.main(["--write-tracked"]) == 0
        assert tracked.read_text() == m.render()
        with pytest.raises(SystemExit):
            m.main(["https://mine.example", "--write-tracked"])
