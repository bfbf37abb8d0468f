"""A vote cast on vote_web reaches result_web through the queue and the worker."""

import time

import requests

from tests.conftest import Services


def test_vote_shows_in_results_within_two_seconds(services: Services) -> None:
    vote_url, _ = services.start("vote_web")
    result_url, _ = services.start("result_web")
    services.start("tasks", ready_path="/health", WORKER_CONCURRENCY="1")

    before = requests.get(f"{result_url}/api/results", timeout=5).json()
    assert (before["cats"], before["dogs"], before["total"]) == (0, 0, 0)

    answer = requests.post(f"{vote_url}/vote", json={"vote": "cats"}, timeout=5)
    assert answer.status_code == 200
    cast_at = time.monotonic()

    while time.monotonic() - cast_at < 2:
        results = requests.get(f"{result_url}/api/results", timeout=5).json()
        if results["cats"] == 1:
            break
        time.sleep(0.05)
    assert results["cats"] == 1
    assert results["dogs"] == 0
    assert results["total"] == 1
