"""Real ``python -m tasks`` workers, each leading a process group of its own.

A test can then kill a worker and every pool child at once, as the kernel's
out-of-memory killer or a lost machine would, without touching pytest.
"""

import os
import signal
import subprocess
import sys
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.conftest import PROJECT_ROOT
from tests.servers import free_port, live_processes, wait_for


@dataclass
class Worker:
    """A running ``python -m tasks`` whose main process leads its own group."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def children(self) -> list[int]:
        """Return the live pool processes forked by the main process."""
        return [pid for pid, ppid, _ in live_processes() if ppid == self.process.pid]

    def group(self) -> list[int]:
        """Return the live processes of the worker's process group."""
        return [pid for pid, _, pgrp in live_processes() if pgrp == self.process.pid]

    def kill_child(self) -> int:
        """Kill one pool process and wait until the pool has forked another."""
        before = self.children()
        victim = before[0]
        os.kill(victim, signal.SIGKILL)

        def replaced() -> bool:
            now = self.children()
            return len(now) == len(before) and victim not in now

        wait_for(replaced, 10, "a new pool process")
        return victim

    def health(self) -> int:
        """Return the status code of ``/health``."""
        return requests.get(f"{self.url}/health", timeout=10).status_code

    def terminate(self, whole_group: bool = False) -> None:
        """Ask for a warm shutdown, as Docker does, or as supervisord does."""
        if whole_group:
            os.killpg(self.process.pid, signal.SIGTERM)
        else:
            self.process.terminate()

    def kill(self) -> None:
        """Kill the main process and every child at once, with no warning."""
        if self.group():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        wait_for(lambda: not self.group(), 10, "the killed worker's processes gone")

    def stop(self) -> None:
        """Stop the worker gracefully, or kill it if it will not stop."""
        if self.process.poll() is None:
            self.process.terminate()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        self.kill()


class Workers:
    """Start workers in process groups of their own; stop them all at the end."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.started: list[Worker] = []

    def start(self, concurrency: int, **env: str) -> Worker:
        """Start a worker; wait until its pool is forked and its health answers.

        Tests signal pool children directly, so all of them must exist first.
        """
        port = free_port()
        full_env = {
            **os.environ,
            **self.env,
            "PORT": str(port),
            "WORKER_CONCURRENCY": str(concurrency),
            "PROMETHEUS_MULTIPROC_DIR": str(self.log_dir / f"metrics-{port}"),
            **env,
        }
        log = self.log_dir / f"worker-{port}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "tasks"],
                env=full_env,
                cwd=PROJECT_ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, f"http://127.0.0.1:{port}", log)
        self.started.append(worker)
        wait_for(lambda: _forked(worker, concurrency), 30, "the pool")
        wait_for(lambda: _healthy(worker), 30, "worker health")
        return worker

    def stop_all(self) -> None:
        """Stop every worker started, newest first."""
        for worker in reversed(self.started):
            worker.stop()


def _running(worker: Worker) -> None:
    if worker.process.poll() is not None:
        raise RuntimeError(f"worker exited early, see {worker.log}")


def _forked(worker: Worker, concurrency: int) -> bool:
    _running(worker)
    return len(worker.children()) == concurrency


def _healthy(worker: Worker) -> bool:
    _running(worker)
    try:
        return worker.health() == 200
    except requests.RequestException:
        return False
