"""`python -m benchmarks` end to end, tiny: it produces rows. No timing assertions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.harness import main
from benchmarks.systems import OPS


def test_a_quick_run_produces_every_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    argv = ["--quick", "--runs", "1", "--latency-ms", "0", "--users", "4", "--total", "8"]
    code = main([*argv, "--quota-limit", "5", "--postgres", "", "--json", str(out),
                 "--digests", "3"])

    assert code == 0
    results = json.loads(out.read_text())
    assert results["violations"] == []
    ours = results["ops"]["togglbot"]["ops"]
    for op in OPS:
        assert ours[op]["requests"], op
        assert ours[op]["failures"] == [], (op, ours[op]["failures"])
    assert results["quota"]["togglbot"]["succeeded"] >= 1
    assert results["overhead"][0]["seconds"]["start"]
    assert results["throughput"][0]["commands"] == 8
    assert results["throughput"][0]["failed"] == 0
    web = results["web"]  # row 4b: the Slack web process in its own OS process
    assert web["commands"] == 8
    assert web["answered"] == 8
    assert web["failed"] == 0, web["failures"]
    assert web["rss_idle_mb"] > 0
    assert web["rss_peak_mb"] > 0
    table = capsys.readouterr().out
    assert "| measure | togglbot | toggl-api-wrapper | togglcli | ratio |" in table
    assert "Slack `web` process over HTTP" in table
    assert "RSS MB, idle / peak under load" in table
    assert results["digests"]["ok"] and results["digests"]["channels"] == 3  # row 6
    assert results["year"]["entries"] == 1095 and not results["year"]["failures"]  # row 7
    assert "A year of entries" in table and "Daily digests" in table


def test_the_reminders_benchmark_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import reminders

    assert reminders.main(["--people", "12", "--quiet-people", "30"]) == 0
    out = capsys.readouterr().out
    assert "'duplicates': 0" in out and "'statements_per_quiet_tick': 1" in out
