"""Real Redis and MariaDB servers for the tests, and a view of live processes.

The servers the environment points at are used when they answer; otherwise
throwaway ones are started from Debian's binaries in a temporary folder, so
the suite passes on a machine where nothing listens on 6379 or 3306.
"""

import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from common.settings import MysqlSettings, RedisSettings
from stack.probes import free_port, mysql_error, redis_answers
from stack.programs import mariadb_install_command, mariadbd_command


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``check`` until it passes or fail the test, naming ``what``."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {timeout} s")
        time.sleep(0.05)


@dataclass
class LocalServer:
    """A server process the tests started and must stop."""

    process: subprocess.Popen[bytes]
    directory: Path
    command: list[str] = field(default_factory=list)

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        """Start the same server again after a stop."""
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


def start_redis(
    directory: Path, port: int | None = None, append_only: bool = False
) -> tuple[RedisSettings, LocalServer]:
    """Start a throwaway Redis; with ``append_only`` its data survive a restart."""
    port = port or free_port()
    directory.mkdir(parents=True, exist_ok=True)
    command = [
        "redis-server",
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(directory),
        "--save", "",
        "--appendonly", "yes" if append_only else "no",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    settings = RedisSettings("127.0.0.1", port, 0, None)
    wait_for(lambda: redis_answers(settings), 10, "throwaway Redis")
    return settings, LocalServer(process, directory, command)


def start_mariadb(directory: Path) -> tuple[MysqlSettings, LocalServer]:
    """Initialise and start a throwaway MariaDB; root has no password."""
    port = free_port()
    data = directory / "data"
    data.mkdir(parents=True, exist_ok=True)
    subprocess.run(mariadb_install_command(data), check=True, capture_output=True)
    command = mariadbd_command(data, port, directory / "mysqld.sock")
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    settings = MysqlSettings("127.0.0.1", port, "root", "", "")
    wait_for(lambda: mysql_error(settings) is None, 30, "throwaway MariaDB")
    return settings, LocalServer(process, directory, command)


def live_processes() -> Iterator[tuple[int, int, int]]:
    """Yield ``(pid, parent pid, process group)`` of every live process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid, pgrp = stat.rpartition(")")[2].split()[:3]
        if state not in ("Z", "X"):
            yield int(entry.name), int(ppid), int(pgrp)
