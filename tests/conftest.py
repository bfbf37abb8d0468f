"""Fixtures: real Redis and MariaDB, a fresh database per run, real processes."""

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
import redis
import requests

from common.settings import MysqlSettings, RedisSettings, load_mysql, load_redis
from stack.database import apply_schema, connect
from stack.probes import mysql_error, redis_answers
from stack.queues import delete_queue
from tests.containers import (
    engine_answers,
    start_mariadb_container,
    start_redis_container,
)
from tests.servers import free_port, start_mariadb, start_redis, wait_for

PROJECT_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
TABLES = ("votes", "voter_choices", "tallies")


@pytest.fixture(scope="session")
def run_id() -> str:
    """Return a token that keeps this run's names apart from any other's."""
    return uuid.uuid4().hex[:10]


class _Stoppable(Protocol):
    def stop(self) -> None: ...


def _server_for_tests(
    configured: T,
    answers: Callable[[T], bool],
    in_container: Callable[[], tuple[T, _Stoppable]],
    local: Callable[[], tuple[T, _Stoppable]],
) -> Iterator[T]:
    """Yield the configured server if it answers, else a throwaway one.

    The throwaway runs in a container where an engine answers, else from
    Debian's binaries; it is stopped afterwards.
    """
    if answers(configured):
        yield configured
        return
    settings, server = in_container() if engine_answers() else local()
    try:
        yield settings
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisSettings]:
    """Return the configured Redis if it answers, else a throwaway one."""
    yield from _server_for_tests(
        load_redis(),
        redis_answers,
        start_redis_container,
        lambda: start_redis(tmp_path_factory.mktemp("redis")),
    )


@pytest.fixture(scope="session")
def mysql_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MysqlSettings]:
    """Return the configured MySQL if it answers, else a throwaway MariaDB."""
    yield from _server_for_tests(
        load_mysql(),
        lambda settings: mysql_error(settings) is None,
        start_mariadb_container,
        lambda: start_mariadb(tmp_path_factory.mktemp("mariadb")),
    )


@pytest.fixture(scope="session")
def mysql_settings(mysql_server: MysqlSettings, run_id: str) -> Iterator[MysqlSettings]:
    """Create this run's own database with the schema; drop it afterwards."""
    settings = replace(mysql_server, database=f"voting_test_{run_id}")
    apply_schema(settings)
    yield settings
    with (
        connect(mysql_server, use_database=False) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DROP DATABASE IF EXISTS `{settings.database}`")


@pytest.fixture
def database(mysql_settings: MysqlSettings) -> MysqlSettings:
    """Return this run's database, emptied before the test."""
    with connect(mysql_settings) as connection, connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table}")
    return mysql_settings


@pytest.fixture
def service_env(
    redis_settings: RedisSettings, database: MysqlSettings
) -> Iterator[dict[str, str]]:
    """Return environment variables that point a component at the test servers.

    Each test gets its own queue and Socket.IO channel, so nothing it sends
    reaches another test or a stack running on the same machine; the queue's
    keys are removed afterwards, so runs leave nothing in a shared Redis.
    """
    token = uuid.uuid4().hex[:10]
    queue = f"test-votes-{token}"
    yield {
        "REDIS_HOST": redis_settings.host,
        "REDIS_PORT": str(redis_settings.port),
        "REDIS_DB": str(redis_settings.db),
        "REDIS_PASSWORD": redis_settings.password or "",
        "MYSQL_HOST": database.host,
        "MYSQL_PORT": str(database.port),
        "MYSQL_USER": database.user,
        "MYSQL_PASSWORD": database.password,
        "MYSQL_DATABASE": database.database,
        "VOTE_QUEUE": queue,
        "SOCKETIO_CHANNEL": f"test-results-{token}",
        "SECRET_KEY": "test-secret",
        "HOST": "127.0.0.1",
    }
    forget_queue(redis_settings, queue)


def forget_queue(settings: RedisSettings, queue: str) -> None:
    """Delete a queue, its dead letters and kombu's bindings for it."""
    client = redis.Redis.from_url(settings.url)
    try:
        delete_queue(client, queue)
        for key in client.scan_iter(match=f"*ratelimit:{queue}*"):
            client.delete(key)
    except redis.ConnectionError:
        pass  # a throwaway Redis a test stopped keeps nothing anyway
    finally:
        client.close()


class Services:
    """Start project components as real processes and stop them afterwards."""

    def __init__(self, base_env: dict[str, str], log_dir: Path) -> None:
        self.base_env = base_env
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(
        self, module: str, ready_path: str = "/livez", **env: str
    ) -> tuple[str, subprocess.Popen[bytes]]:
        """Run ``python -m module`` on a free port; return its URL once it answers."""
        port = free_port()
        full_env = {**os.environ, **self.base_env, "PORT": str(port), **env}
        with (self.log_dir / f"{module}-{port}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", module],
                env=full_env,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(url + ready_path, process), 30, module)
        return url, process

    def stop_all(self) -> None:
        """Terminate every process started, newest first."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _answers(url: str, process: subprocess.Popen[bytes]) -> bool:
    if process.poll() is not None:
        raise RuntimeError(f"process exited with {process.returncode} before {url}")
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def services(service_env: dict[str, str], tmp_path: Path) -> Iterator[Services]:
    """Return a starter of real component processes, all stopped after the test."""
    started = Services(service_env, tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def poll() -> Callable[..., object]:
    """Return a helper that retries a probe until it yields a truthy value."""

    def poll_until(probe: Callable[[], object], timeout: float = 5.0) -> object:
        result: list[object] = []

        def check() -> bool:
            result[:] = [probe()]
            return bool(result[0])

        wait_for(check, timeout, "condition")
        return result[0]

    return poll_until
