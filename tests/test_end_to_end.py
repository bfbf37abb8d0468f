"""A vote cast on vote_web reaches result_web through the queue and the worker.

How fast is measured by ``load-tests/vote_to_result.py``, not asserted here.
"""

import requests

from tests.conftest import Services
from tests.servers import wait_for


def test_vote_cast_on_vote_web_is_counted_by_result_web(services: Services) -> None:
    vote_url, _ = services.start("vote_web")
    result_url, _ = services.start("result_web")
    services.start("tasks", ready_path="/health", WORKER_CONCURRENCY="1")

    def results() -> dict[str, int]:
        return requests.get(f"{result_url}/api/results", timeout=5).json()

    assert (results()["cats"], results()["total"]) == (0, 0)
    answer = requests.post(f"{vote_url}/vote", json={"vote": "cats"}, timeout=5)
    assert answer.status_code == 200

    wait_for(lambda: results()["total"] == 1, 30, "the vote in the results")
    assert (results()["cats"], results()["dogs"]) == (1, 0)
