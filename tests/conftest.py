"""Shared fixtures: the fake Toggl, databases, and the core wired to both."""

pytest_plugins = ["tests.toggl_fixtures", "tests.db_fixtures", "tests.core_fixtures"]
