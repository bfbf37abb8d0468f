"""Redis and MariaDB in containers via testcontainers, where a Docker engine answers.

The suite prefers the servers the environment names; when they do not
answer it uses containers if an engine is reachable (``DOCKER_HOST`` or the
default socket), and Debian's binaries otherwise. ``TEST_CONTAINERS=0``
skips the engine check; ``TEST_REDIS_IMAGE`` and ``TEST_MARIADB_IMAGE``
choose the images.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docker
import requests
from docker.errors import DockerException
from testcontainers.core.container import DockerContainer

from common.settings import MysqlSettings, RedisSettings
from stack.probes import mysql_error, redis_answers
from tests.servers import wait_for

REDIS_IMAGE = os.environ.get("TEST_REDIS_IMAGE", "redis:7")
MARIADB_IMAGE = os.environ.get("TEST_MARIADB_IMAGE", "mariadb:11")


def engine_answers() -> bool:
    """Return whether a Docker-compatible engine answers, unless turned off."""
    if os.environ.get("TEST_CONTAINERS", "auto") == "0":
        return False
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if host.startswith("unix://") and not Path(host.removeprefix("unix://")).exists():
        return False  # docker-py would leak a socket finding that out
    try:
        client = docker.from_env(timeout=3)
    except DockerException:
        return False
    try:
        return bool(client.ping())
    except (DockerException, requests.RequestException):
        return False
    finally:
        client.close()


def start_redis_container() -> tuple[RedisSettings, DockerContainer]:
    """Start a Redis container and return settings that reach it."""
    container = DockerContainer(REDIS_IMAGE).with_exposed_ports(6379)
    with _stopped_on_failure(container):
        host, port = _address(container, 6379)
        settings = RedisSettings(host, port, 0, None)
        wait_for(lambda: redis_answers(settings), 120, "Redis container")
    return settings, container


def start_mariadb_container() -> tuple[MysqlSettings, DockerContainer]:
    """Start a MariaDB container where root has no password."""
    container = (
        DockerContainer(MARIADB_IMAGE)
        .with_env("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1")
        .with_exposed_ports(3306)
    )
    with _stopped_on_failure(container):
        host, port = _address(container, 3306)
        settings = MysqlSettings(host, port, "root", "", "")
        wait_for(lambda: mysql_error(settings) is None, 120, "MariaDB container")
    return settings, container


@contextmanager
def _stopped_on_failure(container: DockerContainer) -> Iterator[None]:
    """Start ``container``; stop it again if the block fails."""
    container.start()
    try:
        yield
    except BaseException:
        container.stop()
        raise


def _address(container: DockerContainer, port: int) -> tuple[str, int]:
    """Return where this process reaches the container's ``port``."""
    return container.get_container_host_ip(), int(container.get_exposed_port(port))
