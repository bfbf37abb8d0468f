"""The load scripts run clean against real processes.

They prove ``make load`` and ``make bench`` work end to end; their figures
are read by people, not asserted.
"""

import os
import subprocess
import sys

import requests

from tests.conftest import PROJECT_ROOT, Services
from tests.servers import wait_for


def test_smoke_scenario_has_no_failures_and_counts_each_user_once(
    services: Services,
) -> None:
    vote_url, _ = services.start("vote_web")
    result_url, _ = services.start("result_web")
    services.start("tasks", ready_path="/health", WORKER_CONCURRENCY="1")

    run = subprocess.run(
        ["load-tests/run-scenario.sh", "smoke", vote_url],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout + run.stderr
    assert "POST /vote" in summary
    assert "Response time percentiles" in summary

    def total() -> int:
        return requests.get(f"{result_url}/api/results", timeout=5).json()["total"]

    # Each simulated user keeps its cookie: five voters, however many votes.
    wait_for(lambda: total() == 5, 30, "one counted vote per Locust user")


def test_end_to_end_benchmark_passes_its_closing_check(
    services: Services, service_env: dict[str, str]
) -> None:
    vote_url, _ = services.start("vote_web")
    result_url, _ = services.start("result_web")
    services.start("tasks", ready_path="/health", WORKER_CONCURRENCY="1")
    ports = {
        "VOTE_WEB_PORT": vote_url.rsplit(":", 1)[1],
        "RESULT_WEB_PORT": result_url.rsplit(":", 1)[1],
    }

    run = subprocess.run(
        [sys.executable, "load-tests/end_to_end.py", "--seconds", "3"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **service_env, **ports},
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "closing check    PASS" in run.stdout
    assert "0 lost, 0 counted twice" in run.stdout
