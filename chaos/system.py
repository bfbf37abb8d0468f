"""A whole stack of our own, which the drills may break and mend at will.

It runs under its own run directory on free ports, with the Redis and
MariaDB that ``python -m stack up`` starts when nothing answers where the
settings point, so no server another program uses is ever touched.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from common.pending import pending_key
from stack.database import connect
from stack.health import components
from stack.layout import PROJECT_ROOT, Layout, load_layout
from stack.probes import free_port
from stack.supervisor import supervisorctl

APP_PROGRAMS = ("vote", "worker", "result", "flower", "prometheus")
DATABASES = ("redis", "mysql")
TABLES = ("votes", "voter_choices", "tallies")
PORT_VARIABLES = (
    "VOTE_WEB_PORT",
    "WORKER_PORT",
    "RESULT_WEB_PORT",
    "FLOWER_PORT",
    "PROMETHEUS_PORT",
    "REDIS_PORT",
    "MYSQL_PORT",
)


@dataclass(frozen=True)
class Backlog:
    """The broker's view of the votes not recorded yet."""

    queued: int
    held: frozenset[str]
    oldest_held_seconds: float


@dataclass(frozen=True)
class System:
    """The stack under test: its environment, layout and handles."""

    env: dict[str, str]
    layout: Layout

    @property
    def vote_url(self) -> str:
        """Return vote_web's base URL."""
        return f"http://127.0.0.1:{self.layout.vote_port}"

    @property
    def result_url(self) -> str:
        """Return result_web's base URL."""
        return f"http://127.0.0.1:{self.layout.result_port}"

    @property
    def queue(self) -> str:
        """Return the name of the vote queue."""
        return self.env["VOTE_QUEUE"]

    def stack(self, command: str) -> int:
        """Run ``python -m stack COMMAND`` for this stack; return its exit code."""
        return subprocess.run(
            [sys.executable, "-m", "stack", command], env=self.env, cwd=PROJECT_ROOT
        ).returncode

    def ctl(self, *args: str) -> str:
        """Run supervisorctl on this stack and return what it printed."""
        return supervisorctl(self.layout, *args).stdout.strip()

    def programs(self) -> list[str]:
        """Return the supervised programs of this stack."""
        return [line.split()[0] for line in self.ctl("status").splitlines() if line]

    def process_group(self, program: str) -> int:
        """Return the process group of a program: it and all it started.

        supervisord puts each program in a group of its own; refusing any
        other answer keeps a kill from ever reaching this process.
        """
        group = os.getpgid(int(self.ctl("pid", program)))
        if group == os.getpgrp():
            raise RuntimeError(f"{program} runs in the drills' own process group")
        return group

    def held_messages(self) -> int:
        """Return how many messages workers hold unacknowledged right now."""
        client = self._redis()
        try:
            return int(client.hlen("unacked"))
        finally:
            client.close()

    def wait_until_held(self, timeout: float) -> bool:
        """Wait until a worker holds a message it has not acknowledged yet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.held_messages():
                return True
        return False

    def unhealthy(self, names: tuple[str, ...]) -> list[str]:
        """Return which of the named components fail their health check now."""
        prometheus = "prometheus" in self.programs()
        parts = components(self.layout, prometheus)
        return [
            part.name
            for part in parts
            if (not names or part.name in names) and not part.check()
        ]

    def pending_messages(self) -> int | None:
        """Return what is not recorded yet, or None without Redis.

        That is messages queued or held unacknowledged, and votes vote_web
        noted as pending that no commit has cleared: a message lost with a
        killed worker leaves only that note, until the resender sends it.
        """
        client = self._redis()
        try:
            return (
                int(client.llen(self.queue))
                + int(client.hlen("unacked"))
                + int(client.hlen(pending_key(self.queue)))
            )
        except redis.RedisError:
            return None
        finally:
            client.close()

    def _redis(self) -> redis.Redis:
        return redis.Redis.from_url(
            self.layout.redis.url, socket_timeout=2, decode_responses=True
        )

    def backlog(self) -> Backlog | None:
        """Return what the broker holds, or None while Redis does not answer.

        A worker that died leaves its messages held until the visibility
        timeout gives them back; a vote waiting to retry its write is held too.
        """
        client = self._redis()
        try:
            queued = int(client.llen(self.queue))
            held = frozenset(str(tag) for tag in client.hkeys("unacked"))
            oldest = client.zrange("unacked_index", 0, 0, withscores=True)
        except redis.RedisError:
            return None
        finally:
            client.close()
        age = time.time() - float(oldest[0][1]) if oldest else 0.0
        return Backlog(queued, held, age)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one read on the voting database and return its rows."""
        with connect(self.layout.mysql) as connection, connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    def tallies(self) -> dict[str, int]:
        """Return every option's tally, zero for options without a row."""
        rows = self.query("SELECT choice, votes FROM tallies")
        counted = {str(choice): int(votes) for choice, votes in rows}
        options = self.env["VOTE_OPTIONS"].split(",")
        return {**dict.fromkeys(options, 0), **counted}

    def empty_tables(self) -> None:
        """Delete every vote, choice and tally, so a drill starts from zero."""
        with connect(self.layout.mysql) as connection, connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")

    def drop_database(self) -> None:
        """Drop the voting database, schema and all."""
        mysql = self.layout.mysql
        with (
            connect(mysql, use_database=False) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DROP DATABASE IF EXISTS `{mysql.database}`")

    def wait_drained(self, timeout: float) -> bool:
        """Wait until the broker has held no message for a second.

        Only then is the check final: a copy still on its way could
        otherwise count twice after the check had looked.
        """
        deadline = time.monotonic() + timeout
        empty_since: float | None = None
        while time.monotonic() < deadline:
            if self.pending_messages() == 0:
                empty_since = empty_since or time.monotonic()
                if time.monotonic() - empty_since >= 1:
                    return True
            else:
                empty_since = None
            time.sleep(0.25)
        return False


def make_system(run_dir: Path, base_env: dict[str, str] | None = None) -> System:
    """Describe a stack under ``run_dir`` with a free port for every part."""
    env = {
        **(os.environ if base_env is None else base_env),
        **{variable: str(free_port()) for variable in PORT_VARIABLES},
        "RUN_DIR": str(run_dir),
        "REDIS_HOST": "127.0.0.1",
        "REDIS_DB": "0",
        "REDIS_PASSWORD": "",
        "MYSQL_HOST": "127.0.0.1",
        "MYSQL_USER": "root",
        "MYSQL_PASSWORD": "",
        "MYSQL_DATABASE": "voting",
        "VOTE_QUEUE": "votes",
        "SOCKETIO_CHANNEL": "voting-results",
        "VOTE_OPTIONS": "cats,dogs",
        # Fixed, so voter cookies stay valid when vote_web restarts.
        "SECRET_KEY": "chaos-drills",
        "RATE_LIMIT": "",
        "HOST": "127.0.0.1",
        "PUBLIC_HOST": "127.0.0.1",
    }
    return System(env, load_layout(env))


def wait_until(check: Callable[[], bool], timeout: float) -> bool:
    """Poll ``check`` until it passes; return False if ``timeout`` runs out."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True
