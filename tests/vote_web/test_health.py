"""Health follows Redis: 503 while it is down, 200 again without a restart."""

from flask.testing import FlaskClient

from common.settings import RedisSettings
from tests.servers import LocalServer, wait_for
from tests.vote_web.conftest import make_app


def test_health_reports_redis_connected(client: FlaskClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "healthy"
    assert body["service"] == "vote"
    assert body["redis"] == "connected"
    assert "timestamp" in body


def test_votes_get_503_while_redis_is_down_and_succeed_once_back(
    own_redis: tuple[RedisSettings, LocalServer], queue: str
) -> None:
    settings, server = own_redis
    client = make_app(settings, queue).test_client()
    assert client.post("/vote", json={"vote": "cats"}).status_code == 200

    server.stop()
    refused = client.post("/vote", json={"vote": "cats"})
    health = client.get("/health")
    liveness = client.get("/livez")

    assert refused.status_code == 503
    assert "queue unavailable" in refused.get_json()["error"].lower()
    assert health.status_code == 503
    assert health.get_json()["redis"] == "disconnected"
    assert liveness.status_code == 200

    server.restart()
    wait_for(lambda: client.get("/health").status_code == 200, 10, "Redis back")
    assert client.post("/vote", json={"vote": "dogs"}).status_code == 200


def test_vote_web_starts_while_redis_is_down(queue: str) -> None:
    nowhere = RedisSettings("127.0.0.1", 1, 0, None)
    client = make_app(nowhere, queue).test_client()

    assert client.get("/livez").status_code == 200
    assert client.post("/vote", json={"vote": "cats"}).status_code == 503


def test_metrics_count_accepted_votes(client: FlaskClient) -> None:
    client.post("/vote", json={"vote": "cats"})
    client.post("/vote", json={"vote": "cows"})

    text = client.get("/metrics").get_data(as_text=True)
    assert 'votes_total{choice="cats"} 1.0' in text
    assert "request_duration_seconds_bucket" in text
