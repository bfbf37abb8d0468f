"""Worker settings, read from the environment in one place."""

import os
from collections.abc import Mapping
from dataclasses import dataclass

from common.env import env_bool, env_int, env_port, env_str
from common.settings import (
    MysqlSettings,
    RedisSettings,
    load_channel,
    load_mysql,
    load_options,
    load_queue,
    load_redis,
)


@dataclass(frozen=True)
class WorkerConfig:
    """Everything the Celery worker needs to know about its surroundings."""

    redis: RedisSettings
    mysql: MysqlSettings
    queue: str
    options: tuple[str, ...]
    channel: str
    host: str
    port: int
    concurrency: int
    task_events: bool
    resend_after_seconds: int
    log_level: str


def load_config(env: Mapping[str, str] | None = None) -> WorkerConfig:
    """Read and validate the worker's variables."""
    return WorkerConfig(
        redis=load_redis(env),
        mysql=load_mysql(env),
        queue=load_queue(env),
        options=load_options(env),
        channel=load_channel(env),
        host=env_str("HOST", "0.0.0.0", env),
        port=env_port("PORT", 8080, env),
        concurrency=env_int(
            "WORKER_CONCURRENCY", os.cpu_count() or 1, minimum=1, maximum=256, env=env
        ),
        task_events=env_bool("CELERY_TASK_EVENTS", True, env),
        resend_after_seconds=env_int(
            "RESEND_AFTER_SECONDS", 60, minimum=1, maximum=86_400, env=env
        ),
        log_level=env_str("LOG_LEVEL", "INFO", env).upper(),
    )
