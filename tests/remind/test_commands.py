"""The `remind` commands: settings only, no Toggl request, nothing on by default."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.core import Invocation
from bot.dialects.text import parse
from bot.remind.model import Hours, Settings
from bot.replies import Reply
from tests.remind.conftest import World


async def say(world: World, text: str, user: str = "U1") -> Reply:
    return await world.core().dispatch(Invocation("slack", "T1", user, text))


async def test_nothing_is_on_until_asked(world: World) -> None:
    key, _ = await world.person("U1")
    reply = await say(world, "remind")
    assert reply.title == "Reminders are off"
    assert await world.reminders.get(key) is None


async def test_settings_are_saved_and_shown(world: World) -> None:
    world.clock.set(datetime(2026, 11, 24, 8, tzinfo=UTC))
    key, _ = await world.person("U1")
    world.fake.reset_log()
    await say(world, "remind hours 08:30-16:00 mon,tue,thu")
    await say(world, "remind running 2h")
    await say(world, "remind idle 45m")
    reply = await say(world, "remind recap 16:15")
    assert await world.reminders.get(key) == Settings(
        Hours(time(8, 30), time(16), frozenset({0, 1, 3})), timedelta(hours=2),
        timedelta(minutes=45), time(16, 15))
    assert reply.lines[0] == "Working hours: 08:30–16:00, mon,tue,thu (Europe/Berlin)"
    shown = await say(world, "remind")
    assert "Day recap: at 16:15 on working days." in shown.lines
    await say(world, "remind idle off")
    settings = await world.reminders.get(key)
    assert settings is not None and settings.idle is None and settings.running is not None
    assert world.fake.count() == 0  # settings never ask Toggl


async def test_snooze_an_hour(world: World) -> None:
    world.clock.set(datetime(2026, 11, 24, 8, tzinfo=UTC))
    key, _ = await world.person("U1", Settings(idle=timedelta(minutes=30)))
    reply = await say(world, "remind snooze 1h")
    assert reply.title == "Reminders snoozed until 10:00"
    settings = await world.reminders.get(key)
    assert settings is not None and settings.snoozed_until == world.clock() + timedelta(hours=1)


@pytest.mark.parametrize(("text", "error"), [
    ("remind hours 17:00-09:00", "has to end after it starts"),
    ("remind running forever", "not a duration"),
    ("remind recap 25:00", "not a time"),
    ("remind hours 09:00-17:00 funday", "not days I know"),
    ("remind snooze", "Say how long"),
])
async def test_mistakes_are_explained(world: World, text: str, error: str) -> None:
    await world.person("U1")
    reply = await say(world, text)
    assert error in reply.title, reply.title
    assert reply.usage


def test_durations_as_people_type_them() -> None:
    for text, span in [("2h", timedelta(hours=2)), ("90m", timedelta(minutes=90)),
                       ("1h30", timedelta(minutes=90)), ("1:30", timedelta(minutes=90)),
                       ("1.5h", timedelta(minutes=90))]:
        assert parse(f"remind running {text}").after == span  # type: ignore[attr-defined]


async def test_not_logged_in(world: World) -> None:
    reply = await say(world, "remind running 3h", user="U404")
    assert "login" in " ".join(reply.lines)


async def test_the_stop_at_button_sets_the_end_of_the_working_day(world: World) -> None:
    world.clock.set(datetime(2026, 11, 24, 11, tzinfo=UTC))  # 12:00 in Berlin
    _, user = await world.person("U1")
    await say(world, "start Deep work")
    reply = await say(world, "edit last stop 17:30")
    entry = world.fake.entries(user.id)[-1]
    assert entry.stop == datetime(2026, 11, 24, 16, 30, tzinfo=UTC), reply.text()
