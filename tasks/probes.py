"""Short-timeout probes of Redis and MySQL for the worker's main process.

A pool child is forked from the main process at any time. A fork waits for
any probe in flight (``fork_guard``): a probe opens a MySQL connection, and
a child forked while it was inside OpenSSL hung on its own first connection.
"""

import os
import threading

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from tasks.config import WorkerConfig

CHECK_TIMEOUT_SECONDS = 2

fork_guard = threading.Lock()  # held around every probe; see the module doc
os.register_at_fork(
    before=fork_guard.acquire,
    after_in_parent=fork_guard.release,
    after_in_child=fork_guard.release,
)


class Dependencies:
    """Short-timeout probes of Redis and MySQL, kept apart from task connections."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.redis = redis.Redis.from_url(
            config.redis.url,
            socket_timeout=CHECK_TIMEOUT_SECONDS,
            socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        )
        self.engine = create_engine(
            config.mysql.url,
            poolclass=NullPool,
            connect_args={"connect_timeout": CHECK_TIMEOUT_SECONDS},
        )

    def redis_ok(self) -> bool:
        """Return whether Redis answers PING."""
        try:
            return bool(self.redis.ping())
        except redis.RedisError:
            return False

    def database_ok(self) -> bool:
        """Return whether MySQL answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def queue_depth(self) -> int | None:
        """Return how many vote messages wait in the queue, if Redis answers."""
        try:
            return int(self.redis.llen(self.config.queue))
        except redis.RedisError:
            return None
