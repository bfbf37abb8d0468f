"""A real ``celery worker`` process: records votes, reports health and metrics."""

import json

import redis
import requests
from celery import Celery

from common.votes import cast_vote
from tests.conftest import Services
from tests.servers import wait_for


def publish(service_env: dict[str, str], *payload: object) -> None:
    """Send a ``record_vote`` message the way vote_web does."""
    broker = Celery(
        broker=(
            f"redis://{service_env['REDIS_HOST']}:{service_env['REDIS_PORT']}"
            f"/{service_env['REDIS_DB']}"
        )
    )
    broker.send_task("record_vote", args=list(payload), queue=service_env["VOTE_QUEUE"])
    broker.close()


def test_worker_records_votes_and_reports_health_and_metrics(
    services: Services, service_env: dict[str, str]
) -> None:
    url, _ = services.start("tasks", ready_path="/health", WORKER_CONCURRENCY="2")

    health = requests.get(f"{url}/health", timeout=5)
    assert health.status_code == 200
    body = health.json()
    assert (body["status"], body["service"]) == ("healthy", "worker")
    assert (body["redis"], body["database"]) == ("connected", "connected")

    votes = [cast_vote(f"voter{n}", "cats", None).to_message() for n in range(3)]
    publish(service_env, votes)
    publish(service_env, votes[:1])

    def processed() -> str:
        return requests.get(f"{url}/metrics", timeout=5).text

    wait_for(
        lambda: 'votes_processed_total{choice="cats"} 3.0' in processed(), 30, "votes"
    )
    text = processed()
    assert 'health_checks_total{status="healthy"}' in text
    assert f'vote_queue_depth{{queue="{service_env["VOTE_QUEUE"]}"}} 0.0' in text


def test_poison_message_is_dead_lettered_once(
    services: Services, service_env: dict[str, str]
) -> None:
    url, _ = services.start("tasks", ready_path="/health", WORKER_CONCURRENCY="1")
    dead_letters = f"{service_env['VOTE_QUEUE']}.dead"
    client = redis.Redis(
        host=service_env["REDIS_HOST"], port=int(service_env["REDIS_PORT"])
    )

    publish(service_env, [{"vote_id": "nope", "choice": "cats"}])

    wait_for(lambda: client.llen(dead_letters) == 1, 30, "the dead letter")
    entry = json.loads(client.lindex(dead_letters, 0))
    assert entry["reason"] == "malformed vote_id"
    assert entry["payload"] == {"vote_id": "nope", "choice": "cats"}
    wait_for(
        lambda: (
            "votes_dead_lettered_total 1.0"
            in requests.get(f"{url}/metrics", timeout=5).text
        ),
        10,
        "the dead-letter metric",
    )
    client.delete(dead_letters)
    client.close()
