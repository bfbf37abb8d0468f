"""The Locust smoke scenario runs clean against real processes.

It proves ``make load`` works end to end; its figures are read, not asserted.
"""

import subprocess

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
