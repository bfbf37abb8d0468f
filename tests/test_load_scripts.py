"""The load scripts run clean against real processes.

They prove ``make load`` and ``make bench`` work end to end; their figures
are read by people, not asserted.
"""

import os
import re
import subprocess
import sys

import redis
import requests

from common.settings import RedisSettings
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


def test_vote_web_benchmark_serves_all_three_servers_and_cleans_up(
    service_env: dict[str, str], redis_settings: RedisSettings
) -> None:
    client = redis.Redis.from_url(redis_settings.url)
    keys_before = set(client.scan_iter("bench-*"))

    run = subprocess.run(
        [
            sys.executable, "load-tests/vote_web_bench.py",
            "--connections", "4", "--seconds", "1",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, **service_env},
        capture_output=True,
        text=True,
        timeout=180,
    )  # fmt: skip

    assert run.returncode == 0, run.stdout + run.stderr
    rows = dict(
        re.findall(
            r"^(bare Flask \+ LPUSH|contract floor|vote_web) +(\d.*)$", run.stdout, re.M
        )
    )
    assert len(rows) == 3, run.stdout
    for name, row in rows.items():
        rps, _, _, _, errors, cpu_us = row.split()
        assert float(rps) > 0 and errors == "0", (name, run.stdout)
        assert float(cpu_us) > 0, (name, run.stdout)
    assert "vote_web / bare reference:" in run.stdout
    assert set(client.scan_iter("bench-*")) == keys_before
