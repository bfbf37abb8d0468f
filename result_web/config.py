"""result_web settings, read from the environment in one place."""

from collections.abc import Mapping
from dataclasses import dataclass

from common.env import env_int, env_port, env_str
from common.settings import (
    MysqlSettings,
    RedisSettings,
    load_channel,
    load_mysql,
    load_options,
    load_redis,
)


@dataclass(frozen=True)
class ResultConfig:
    """Everything the live results page needs to know about its surroundings."""

    mysql: MysqlSettings
    redis: RedisSettings
    channel: str
    options: tuple[str, ...]
    host: str
    port: int
    poll_interval_ms: int
    vote_url: str


def load_config(env: Mapping[str, str] | None = None) -> ResultConfig:
    """Read and validate result_web's variables."""
    return ResultConfig(
        mysql=load_mysql(env),
        redis=load_redis(env),
        channel=load_channel(env),
        options=load_options(env),
        host=env_str("HOST", "0.0.0.0", env),
        port=env_port("PORT", 3000, env),
        poll_interval_ms=env_int(
            "POLL_INTERVAL", 500, minimum=50, maximum=60_000, env=env
        ),
        vote_url=env_str("VOTE_URL", "http://localhost:5000", env),
    )
