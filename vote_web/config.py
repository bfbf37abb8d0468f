"""vote_web settings, read from the environment in one place."""

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from limits import parse_many

from common.env import ConfigError, env_int, env_port, env_str
from common.settings import RedisSettings, load_options, load_queue, load_redis

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VoteConfig:
    """Everything the vote front end needs to know about its surroundings."""

    redis: RedisSettings
    queue: str
    options: tuple[str, ...]
    host: str
    port: int
    result_url: str
    secret_key: str
    max_body_bytes: int
    workers: int
    worker_class: str
    threads: int
    rate_limit: str


def load_config(env: Mapping[str, str] | None = None) -> VoteConfig:
    """Read and validate vote_web's variables."""
    return VoteConfig(
        redis=load_redis(env),
        queue=load_queue(env),
        options=load_options(env),
        host=env_str("HOST", "0.0.0.0", env),
        port=env_port("PORT", 5000, env),
        result_url=env_str("RESULT_URL", "http://localhost:3000", env),
        secret_key=env_str("SECRET_KEY", "", env) or _development_key(),
        max_body_bytes=env_int(
            "MAX_BODY_BYTES", 4096, minimum=256, maximum=1_048_576, env=env
        ),
        workers=env_int(
            "WEB_CONCURRENCY", default_workers(), minimum=1, maximum=64, env=env
        ),
        worker_class=env_str("GUNICORN_WORKER_CLASS", "gevent", env),
        threads=env_int("GUNICORN_THREADS", 8, minimum=1, maximum=256, env=env),
        rate_limit=load_rate_limit(env),
    )


def load_rate_limit(env: Mapping[str, str] | None) -> str:
    """Read ``RATE_LIMIT`` (for example ``10/second;100/minute``); empty is off."""
    raw = env_str("RATE_LIMIT", "", env)
    if raw:
        try:
            parse_many(raw)
        except ValueError:
            raise ConfigError(
                f"RATE_LIMIT must look like '10/second;100/minute', got {raw!r}"
            ) from None
    return raw


def default_workers() -> int:
    """Return one gunicorn worker per core, at most four.

    A gevent worker keeps its core busy on its own; more processes than
    cores only add switching and split the votes into smaller messages.
    """
    return min(4, os.cpu_count() or 1)


def _development_key() -> str:
    """Return a random key, shared with gunicorn workers through the environment."""
    log.warning(
        "SECRET_KEY is not set: using a random key, so voter cookies "
        "will not survive a restart"
    )
    key = os.environ["SECRET_KEY"] = secrets.token_hex(32)
    return key
