"""Connection settings shared by the components: Redis, MySQL, vote options."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import URL

from common.env import ConfigError, env_int, env_port, env_str

DEFAULT_OPTIONS = ("cats", "dogs")
OPTION_PATTERN = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,31}$")
RESERVED_NAMES = frozenset({"total", "options", "updated_at", "stale"})


@dataclass(frozen=True)
class RedisSettings:
    """Where the broker and the Socket.IO message queue live."""

    host: str
    port: int
    db: int
    password: str | None

    @property
    def url(self) -> str:
        """Return a ``redis://`` URL with the password quoted."""
        auth = f":{quote(self.password, safe='')}@" if self.password else ""
        return f"redis://{auth}{self.host}:{self.port}/{self.db}"

    @property
    def display(self) -> str:
        """Return the address for logs, never the password."""
        return f"{self.host}:{self.port}/{self.db}"


@dataclass(frozen=True)
class MysqlSettings:
    """Where votes are stored."""

    host: str
    port: int
    user: str
    password: str
    database: str

    @property
    def url(self) -> URL:
        """Return the SQLAlchemy URL for the PyMySQL driver."""
        return URL.create(
            "mysql+pymysql",
            username=self.user,
            password=self.password or None,
            host=self.host,
            port=self.port,
            database=self.database,
            query={"charset": "utf8mb4"},
        )

    @property
    def display(self) -> str:
        """Return the address for logs, never the password."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def flask_sqlalchemy_config(self, connect_timeout: int) -> dict[str, Any]:
        """Return Flask-SQLAlchemy settings that survive MySQL restarts.

        Pre-ping replaces connections a restart killed; recycling drops those
        idle long enough for the server to have closed them.
        """
        return {
            "SQLALCHEMY_DATABASE_URI": self.url,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "pool_recycle": 300,
                "connect_args": {"connect_timeout": connect_timeout},
            },
        }


def load_redis(env: Mapping[str, str] | None = None) -> RedisSettings:
    """Read ``REDIS_HOST``, ``REDIS_PORT``, ``REDIS_DB`` and ``REDIS_PASSWORD``."""
    return RedisSettings(
        host=env_str("REDIS_HOST", "localhost", env),
        port=env_port("REDIS_PORT", 6379, env),
        db=env_int("REDIS_DB", 0, minimum=0, maximum=15, env=env),
        password=env_str("REDIS_PASSWORD", "", env) or None,
    )


def load_mysql(env: Mapping[str, str] | None = None) -> MysqlSettings:
    """Read the ``MYSQL_*`` variables."""
    database = env_str("MYSQL_DATABASE", "voting", env)
    if not re.fullmatch(r"[A-Za-z0-9_]{1,64}", database):
        raise ConfigError(
            f"MYSQL_DATABASE must be letters, digits or underscores, got {database!r}"
        )
    return MysqlSettings(
        host=env_str("MYSQL_HOST", "localhost", env),
        port=env_port("MYSQL_PORT", 3306, env),
        user=env_str("MYSQL_USER", "root", env),
        password=env_str("MYSQL_PASSWORD", "", env),
        database=database,
    )


def load_options(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Read ``VOTE_OPTIONS``: two or more distinct, lower-case option names."""
    raw = env_str("VOTE_OPTIONS", ",".join(DEFAULT_OPTIONS), env)
    options = tuple(part.strip().lower() for part in raw.split(",") if part.strip())
    if len(options) < 2 or len(set(options)) != len(options):
        raise ConfigError(f"VOTE_OPTIONS needs two or more distinct names, got {raw!r}")
    for option in options:
        if option in RESERVED_NAMES:
            raise ConfigError(f"VOTE_OPTIONS cannot use the reserved name {option!r}")
        if not OPTION_PATTERN.match(option):
            raise ConfigError(
                "VOTE_OPTIONS names must be 1-32 letters, digits, spaces, "
                f"'-' or '_', got {option!r}"
            )
    return options


def load_queue(env: Mapping[str, str] | None = None) -> str:
    """Read ``VOTE_QUEUE``, the Celery queue that carries votes."""
    queue = env_str("VOTE_QUEUE", "votes", env)
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,100}", queue):
        raise ConfigError(f"VOTE_QUEUE has characters a queue name cannot, {queue!r}")
    return queue


def load_channel(env: Mapping[str, str] | None = None) -> str:
    """Read ``SOCKETIO_CHANNEL``, the Redis channel for live result updates."""
    return env_str("SOCKETIO_CHANNEL", "voting-results", env)
