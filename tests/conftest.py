"""Shared fixtures: the fake Toggl (tests/toggl_fixtures.py) and databases (tests/db_fixtures.py)."""

pytest_plugins = ["tests.toggl_fixtures", "tests.db_fixtures", "tests.core_fixtures"]
