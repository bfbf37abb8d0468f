"""Decide whether to use the configured Redis and MySQL or start our own."""

import os
import shutil
import subprocess
import time
from collections.abc import Callable

from stack.database import apply_schema, create_user
from stack.layout import Layout, is_local
from stack.probes import mysql_error, port_in_use, redis_answers
from stack.programs import mariadb_binary, mariadb_install_command, mysql_paths


class StackError(RuntimeError):
    """Something the person running the stack has to fix; the message says what."""


def needs_own_redis(layout: Layout) -> bool:
    """Return True when no usable Redis answers where the settings point."""
    settings = layout.redis
    if redis_answers(settings):
        return False
    where = f"{settings.host}:{settings.port}"
    if not is_local(settings.host):
        raise StackError(f"Redis at {where} does not answer; check REDIS_HOST/PORT")
    if port_in_use(settings.port):
        raise StackError(
            f"something listens on {where} but does not answer as Redis with "
            "REDIS_PASSWORD; stop it or set REDIS_PORT to a free port"
        )
    if shutil.which("redis-server") is None:
        raise StackError(
            "no Redis answers and redis-server is not installed: run `make install` "
            "as root, or point REDIS_HOST at a server"
        )
    return True


def needs_own_mysql(layout: Layout) -> bool:
    """Return True when no usable MySQL answers where the settings point."""
    settings = layout.mysql
    problem = mysql_error(settings)
    if problem is None:
        return False
    where = f"{settings.host}:{settings.port}"
    if not is_local(settings.host) or port_in_use(settings.port):
        raise StackError(f"MySQL at {where} refuses {settings.user}: {problem}")
    if not os.path.exists(mariadb_binary("mariadbd")):
        raise StackError(
            "no MySQL answers and mariadb-server is not installed: run "
            "`make install` as root, or point MYSQL_HOST at a server"
        )
    return True


def initialise_mysql(layout: Layout) -> None:
    """Create the data folder of our own MariaDB, once."""
    data, _ = mysql_paths(layout)
    if (data / "mysql").is_dir():
        return
    data.mkdir(parents=True, exist_ok=True)
    subprocess.run(mariadb_install_command(data), check=True, capture_output=True)


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``check`` until it passes, or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise StackError(f"{what} did not answer within {timeout:.0f} s")
        time.sleep(0.25)


def prepare_database(layout: Layout, own_mysql: bool) -> None:
    """Make sure the configured user can log in, then apply ``init.sql``."""
    if own_mysql and mysql_error(layout.mysql) is not None:
        _, socket = mysql_paths(layout)
        create_user(layout.mysql, socket)
    apply_schema(layout.mysql)
