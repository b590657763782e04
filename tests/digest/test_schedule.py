"""When a digest fires: local wall-clock time, across DST changes, today only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.digest.model import Schedule
from bot.digest.schedule import due_at, due_today, next_due
from bot.errors import UsageError
from bot.grammar.clock import parse_clock, zone_name
from tests.digest.helpers import at

BERLIN = ZoneInfo("Europe/Berlin")
EVENING = Schedule(time(18, 0), "Europe/Berlin")


class TestDueAt:
    def test_same_local_time_on_both_sides_of_spring_forward(self) -> None:
        assert due_at(time(18), BERLIN, date(2026, 3, 28)) == at("2026-03-28T17:00+00:00")
        assert due_at(time(18), BERLIN, date(2026, 3, 29)) == at("2026-03-29T16:00+00:00")

    def test_same_local_time_on_both_sides_of_fall_back(self) -> None:
        assert due_at(time(18), BERLIN, date(2026, 10, 24)) == at("2026-10-24T16:00+00:00")
        assert due_at(time(18), BERLIN, date(2026, 10, 25)) == at("2026-10-25T17:00+00:00")

    def test_a_time_in_the_spring_gap_fires_at_the_next_valid_minute(self) -> None:
        # 02:30 does not exist in Berlin on 29 March 2026: clocks jump 02:00 -> 03:00.
        due = due_at(time(2, 30), BERLIN, date(2026, 3, 29))
        assert due == at("2026-03-29T01:00+00:00")
        assert due.astimezone(BERLIN).time() == time(3, 0)

    def test_a_time_that_happens_twice_fires_at_the_first(self) -> None:
        # 02:30 happens twice on 25 October 2026 (CEST, then CET): the first one counts.
        due = due_at(time(2, 30), BERLIN, date(2026, 10, 25))
        assert due == at("2026-10-25T00:30+00:00")

    def test_other_zones_and_hemispheres(self) -> None:
        new_york = ZoneInfo("America/New_York")
        assert due_at(time(9), new_york, date(2026, 3, 7)) == at("2026-03-07T14:00+00:00")
        assert due_at(time(9), new_york, date(2026, 3, 8)) == at("2026-03-08T13:00+00:00")
        # Lord Howe shifts by half an hour; Sydney's DST starts in October.
        lord_howe = ZoneInfo("Australia/Lord_Howe")
        assert due_at(time(2, 10), lord_howe, date(2026, 10, 4)).astimezone(lord_howe).time() \
            == time(2, 30)

    @given(
        zone=st.sampled_from(
            ["Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe",
             "Asia/Tehran", "Pacific/Apia", "UTC"]
        ),
        day=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        hour=st.integers(0, 23),
        minute=st.integers(0, 59),
    )
    def test_always_the_wanted_wall_time_or_just_after_a_gap(
        self, zone: str, day: date, hour: int, minute: int
    ) -> None:
        tz = ZoneInfo(zone)
        due = due_at(time(hour, minute), tz, day)
        wall = due.astimezone(tz).replace(tzinfo=None)
        wanted = datetime.combine(day, time(hour, minute))
        assert due.tzinfo is UTC
        assert timedelta(0) <= wall - wanted <= timedelta(hours=1)
        if wall != wanted:  # only in a gap: the minute before is a valid time
            earlier = (due - timedelta(minutes=1)).astimezone(tz).replace(tzinfo=None)
            assert earlier < wanted


class TestDueToday:
    def test_not_before_the_local_time(self) -> None:
        assert due_today(EVENING, at("2026-11-24T16:59+00:00")) is None

    def test_at_the_local_time(self) -> None:
        assert due_today(EVENING, at("2026-11-24T17:00+00:00")) == (
            date(2026, 11, 24), at("2026-11-24T17:00+00:00")
        )

    def test_a_late_worker_catches_up_the_same_day(self) -> None:
        found = due_today(EVENING, at("2026-11-24T22:59+00:00"))
        assert found is not None and found[0] == date(2026, 11, 24)

    def test_never_yesterdays_after_local_midnight(self) -> None:
        # 00:30 in Berlin on the 25th: the 24th's digest is never posted now.
        assert due_today(EVENING, at("2026-11-24T23:30+00:00")) is None

    def test_weekdays_only_skips_the_weekend(self) -> None:
        weekdays = Schedule(time(18), "Europe/Berlin", weekdays_only=True)
        assert due_today(weekdays, at("2026-11-28T18:00+00:00")) is None  # Saturday
        assert due_today(weekdays, at("2026-11-30T18:00+00:00")) is not None  # Monday

    def test_next_due_skips_the_weekend(self) -> None:
        weekdays = Schedule(time(18), "Europe/Berlin", weekdays_only=True)
        assert next_due(weekdays, at("2026-11-27T18:00+00:00")) == at("2026-11-30T17:00+00:00")


class TestParsing:
    @pytest.mark.parametrize(("text", "expected"), [("18:00", time(18)), ("9:05", time(9, 5))])
    def test_clock_times(self, text: str, expected: time) -> None:
        assert parse_clock(text) == expected

    @pytest.mark.parametrize("text", ["24:00", "18", "6pm", "18:60", "18:5"])
    def test_bad_clock_times(self, text: str) -> None:
        with pytest.raises(UsageError, match="HH:MM"):
            parse_clock(text)

    def test_zone_names_are_matched_in_any_case(self) -> None:
        assert zone_name("europe/berlin") == "Europe/Berlin"

    def test_unknown_zone_says_so_and_suggests(self) -> None:
        with pytest.raises(UsageError) as caught:
            zone_name("Europe/Berln")
        assert "is not a time zone I know. Did you mean `Europe/Berlin`?" in caught.value.message
