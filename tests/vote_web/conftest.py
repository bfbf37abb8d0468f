"""Fixtures for vote_web: the app wired to a real Redis."""

import base64
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from common.pending import pending_key
from common.settings import RedisSettings
from tests.servers import LocalServer, start_redis
from vote_web import create_app
from vote_web.config import load_config


def make_app(redis_settings: RedisSettings, queue: str, **env: str) -> Flask:
    """Build vote_web against ``redis_settings``, publishing to ``queue``."""
    config = load_config({"VOTE_QUEUE": queue, "SECRET_KEY": "test", **env})
    return create_app(replace(config, redis=redis_settings))


@pytest.fixture
def queue(service_env: dict[str, str]) -> str:
    """Return a queue name no one else uses."""
    return service_env["VOTE_QUEUE"]


@pytest.fixture
def app(redis_settings: RedisSettings, queue: str) -> Flask:
    return make_app(redis_settings, queue)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def queued(redis_settings: RedisSettings, queue: str) -> Iterator[Any]:
    """Return a reader of the task messages waiting on the test queue."""
    connection = redis.Redis.from_url(redis_settings.url)

    def read() -> list[dict[str, Any]]:
        messages = []
        for raw in reversed(connection.lrange(queue, 0, -1)):
            envelope = json.loads(raw)
            args, _, _ = json.loads(base64.b64decode(envelope["body"]))
            messages.append({"task": envelope["headers"]["task"], "votes": args[0]})
        return messages

    yield read
    connection.delete(queue)
    connection.close()


@pytest.fixture
def pending(redis_settings: RedisSettings, queue: str) -> Iterator[Any]:
    """Return a reader of the votes noted as pending for the test queue."""
    connection = redis.Redis.from_url(redis_settings.url)

    def read() -> dict[str, Any]:
        entries = connection.hgetall(pending_key(queue))
        return {key.decode(): json.loads(value) for key, value in entries.items()}

    yield read
    connection.close()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[RedisSettings, LocalServer]]:
    """Return a Redis this test may stop and start again."""
    settings, server = start_redis(tmp_path / "redis")
    yield settings, server
    server.stop()
