"""The optional per-client rate limit: off by default, 429 JSON when set."""

import pytest
from flask.testing import FlaskClient

from common.env import ConfigError
from common.settings import RedisSettings
from tests.vote_web.conftest import make_app
from vote_web.config import load_config


def test_no_limit_by_default(client: FlaskClient) -> None:
    statuses = {
        client.post("/vote", json={"vote": "cats"}).status_code for _ in range(30)
    }

    assert statuses == {200}


def test_limit_answers_429_json_past_the_allowance(
    redis_settings: RedisSettings, queue: str
) -> None:
    client = make_app(redis_settings, queue, RATE_LIMIT="3/minute").test_client()
    headers = {"X-Forwarded-For": "ignored"}

    statuses = [
        client.post("/vote", json={"vote": "cats"}, headers=headers).status_code
        for _ in range(4)
    ]
    refused = client.post("/vote", json={"vote": "cats"})

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.get_json() == {"error": "Too many requests"}
    assert client.get("/health").status_code == 200


def test_malformed_limit_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="RATE_LIMIT"):
        load_config({"RATE_LIMIT": "lots"})
