"""Ranges past what GET /me/time_entries serves go to Toggl's Reports API v3."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from adapters.console import ConsoleBot
from bot.emulator import FakeUser, TogglEmulator

HOUR = timedelta(hours=1)


def _ada(fake: TogglEmulator) -> FakeUser:
    return fake.user(fake.user_ids()[0])


def _project(fake: TogglEmulator, name: str) -> int:
    wid = fake.workspace_ids()[0]
    return next(p.id for p in fake.projects(wid) if p.name == name)


def _track(fake: TogglEmulator, first: datetime, days: int, project: str | None = None,
           tags: tuple[str, ...] = ()) -> None:
    """One finished hour a day at 09:00 UTC."""
    ada = _ada(fake)
    pid = _project(fake, project) if project else None
    for n in range(days):
        start = first + timedelta(days=n)
        fake.add_entry(ada, ada.default_workspace_id, f"Work {n}", start, start + HOUR, pid, tags)


class TestTheEmulatorAnswersLikeToggl:
    async def test_me_time_entries_refuses_past_three_months(
        self, toggl_token: str, toggl_http: httpx.AsyncClient
    ) -> None:
        answer = await toggl_http.get(
            "/api/v9/me/time_entries", auth=(toggl_token, "api_token"),
            params={"start_date": "2026-06-01", "end_date": "2026-06-30"},
        )
        assert answer.status_code == 400
        assert "start_date" in answer.text


class TestOldSummaries:
    async def test_half_a_year_is_one_reports_request(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        _track(fake_toggl, datetime(2026, 2, 2, 9, tzinfo=UTC), 30, "Website")
        _track(fake_toggl, datetime(2026, 4, 1, 9, tzinfo=UTC), 10)
        fake_toggl.reset_log()
        reply = await ada.send("summary 2026-01-01..2026-06-30")
        assert fake_toggl.count() == 1
        assert fake_toggl.count("POST", "/reports/api/v3/workspace/{wid}/summary/time_entries") == 1
        text = reply.text()
        assert "Total 40h 00m in 40 entries" in text, text
        assert "Website" in text and "Acme" in text

    async def test_a_whole_year_is_still_one_request(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        _track(fake_toggl, datetime(2025, 12, 29, 9, tzinfo=UTC), 5)
        fake_toggl.reset_log()
        reply = await ada.send("summary 2025-07-01..2026-06-30")
        assert fake_toggl.count() == 1
        assert "Total 5h 00m in 5 entries" in reply.text()

    async def test_only_the_persons_own_time_counts(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        wid = fake_toggl.workspace_ids()[0]
        colleague = fake_toggl.add_user("colleague-token", "Grace")
        fake_toggl.add_member(wid, colleague)
        start = datetime(2026, 3, 3, 9, tzinfo=UTC)
        fake_toggl.add_entry(colleague, wid, "Not Ada's", start, start + HOUR)
        _track(fake_toggl, start, 1)
        reply = await ada.send("summary 2026-03-01..2026-03-31")
        assert "Total 1h 00m in 1 entry" in reply.text()


class TestOldEntries:
    async def test_pages_are_followed_fifty_at_a_time(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        _track(fake_toggl, datetime(2026, 1, 5, 9, tzinfo=UTC), 120, "Website", ("meeting",))
        fake_toggl.reset_log()
        reply = await ada.send("entries 2026-01-01..2026-06-30")
        assert reply.title.endswith("(120)"), reply.title
        assert fake_toggl.count("POST", "/reports/*") == 3  # 50 + 50 + 20
        first = reply.lines[0]
        assert "Website" in first and "#meeting" in first, first

    async def test_recent_ranges_still_cost_one_request(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        await ada.send("entries 2026-10-01..2026-11-24")
        assert fake_toggl.count("GET", "/me/time_entries") == fake_toggl.count() == 1


class TestAYearOfEntries:
    async def test_only_the_rows_shown_are_formatted(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Issue 20: a year is ~1,000 rows; formatting them all cost ~40 ms to show 50.
        from bot.handlers import entries

        formatted: list[int] = []
        original = entries._line

        def counting(*args: Any, **kwargs: Any) -> str:
            formatted.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(entries, "_line", counting)
        _track(fake_toggl, datetime(2026, 1, 5, 9, tzinfo=UTC), 120, "Website", ("meeting",))
        reply = await ada.send("entries 2026-01-01..2026-06-30")
        assert reply.title.endswith("(120)"), reply.title
        assert "…and 70 more" in reply.lines[entries.MAX_LISTED]
        assert "#meeting" in reply.lines[0]  # rows shown still carry their names
        assert len(formatted) == entries.MAX_LISTED
