"""Planning without Toggl: working hours in the person's zone, DST, days off, probes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import TimeEntry, UserKey
from bot.remind import plan
from bot.remind.model import Hours, Person, Settings

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
DAILY = Hours(time(9), time(17, 30), frozenset(range(7)))


def person(settings: Settings, **known: object) -> Person:
    return Person(1, UserKey("slack", "T1", "U1"), "America/New_York", settings, **known)  # type: ignore[arg-type]


def test_working_hours_keep_their_wall_clock_time_across_the_autumn_change() -> None:
    settings = Settings(DAILY)
    before = plan.window(settings, date(2026, 10, 31), NY)
    after = plan.window(settings, date(2026, 11, 1), NY)  # EDT -> EST at 02:00
    assert before == (datetime(2026, 10, 31, 13, tzinfo=UTC),
                      datetime(2026, 10, 31, 21, 30, tzinfo=UTC))
    assert after == (datetime(2026, 11, 1, 14, tzinfo=UTC),
                     datetime(2026, 11, 1, 22, 30, tzinfo=UTC))


def test_a_time_the_spring_change_skips_moves_forward() -> None:
    skipped = plan.at(date(2026, 3, 29), time(2, 30), BERLIN)
    assert skipped.astimezone(BERLIN).hour == 3


def test_days_off_plan_for_the_next_working_day() -> None:
    settings = Settings(Hours(time(9), time(17)), idle=timedelta(minutes=30))
    saturday = datetime(2026, 11, 28, 15, tzinfo=UTC)
    seen = plan.look(person(settings), frozenset(), saturday, NY)
    assert seen.due == ()
    assert seen.next_at == datetime(2026, 11, 30, 14, tzinfo=UTC)  # Monday 09:00 EST


def test_a_known_timer_is_planned_from_its_start() -> None:
    settings = Settings(DAILY, running=timedelta(hours=3))
    started = datetime(2026, 11, 24, 14, 10, tzinfo=UTC)  # 09:10 EST
    known = person(settings, running=TimeEntry(1, 1, "x", started))
    seen = plan.look(known, frozenset(), started, NY)
    assert seen.due == () and seen.next_at == started + timedelta(hours=3)


def test_nothing_on_is_never_looked_at_soon() -> None:
    now = datetime(2026, 11, 24, 15, tzinfo=UTC)
    assert plan.look(person(Settings(DAILY)), frozenset(), now, NY).next_at >= now + plan.FAR


def test_an_invalid_token_is_left_alone() -> None:
    now = datetime(2026, 11, 24, 15, tzinfo=UTC)
    settings = Settings(DAILY, idle=timedelta(minutes=1))
    seen = plan.look(person(settings, token_valid=False), frozenset(), now, NY)
    assert seen.due == () and seen.next_at >= now + plan.FAR


def test_the_recap_keeps_the_last_request_of_the_day() -> None:
    settings = Settings(DAILY, idle=timedelta(minutes=30), recap=time(17, 45))
    day = date(2026, 11, 24)
    spent = person(settings, checks_day=day, checks=plan.MAX_CHECKS - 1)
    assert not plan.checks_left(spent, ("idle",), day)
    assert plan.checks_left(spent, ("recap",), day)
