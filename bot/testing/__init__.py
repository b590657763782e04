"""Test doubles shared by the tests, the demo and the benchmarks (fake Toggl, manual clock)."""
