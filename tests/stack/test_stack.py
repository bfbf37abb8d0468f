"""``python -m stack up`` and ``down``: the whole system, and nothing left behind."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import PROJECT_ROOT
from tests.servers import free_port, live_processes

pytestmark = pytest.mark.slow


def descendants(pid: int) -> set[int]:
    """Return every live process below ``pid``."""
    children: dict[int, list[int]] = {}
    for child, parent, _ in live_processes():
        children.setdefault(parent, []).append(child)
    found: set[int] = set()
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def alive(pid: int) -> bool:
    """Return whether a process exists and is not a zombie."""
    return any(live == pid for live, _, _ in live_processes())


class Stack:
    """One stack under a temporary run directory with its own ports."""

    def __init__(self, run_dir: Path, env: dict[str, str]) -> None:
        self.run_dir = run_dir
        self.env = {**os.environ, "RUN_DIR": str(run_dir), **env}

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m stack COMMAND`` and capture what it prints."""
        return subprocess.run(
            [sys.executable, "-m", "stack", command],
            env=self.env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )

    def port(self, variable: str) -> str:
        """Return the port the stack was given for a component."""
        return self.env[variable]

    def supervisord_pid(self) -> int:
        """Return the pid of the stack's supervisord."""
        return int((self.run_dir / "supervisord.pid").read_text())


def component_ports() -> dict[str, str]:
    """Return a free port for each component of one stack."""
    return {
        name: str(free_port())
        for name in (
            "VOTE_WEB_PORT",
            "WORKER_PORT",
            "RESULT_WEB_PORT",
            "FLOWER_PORT",
            "PROMETHEUS_PORT",
        )
    }


@pytest.fixture
def make_stack(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], Stack]]:
    """Return a maker of stacks; every stack made is brought down afterwards."""
    stacks: list[Stack] = []

    def make(env: dict[str, str]) -> Stack:
        stack = Stack(tmp_path / f"run{len(stacks)}", {**component_ports(), **env})
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.run("down")


def cast_and_read(stack: Stack) -> dict[str, object]:
    """Vote for dogs and return the results once they count it (or after 4 s)."""
    vote = f"http://127.0.0.1:{stack.port('VOTE_WEB_PORT')}/vote"
    results = f"http://127.0.0.1:{stack.port('RESULT_WEB_PORT')}/api/results"
    assert requests.post(vote, json={"vote": "dogs"}, timeout=5).status_code == 200
    for _ in range(40):
        body = requests.get(results, timeout=5).json()
        if body["dogs"] >= 1:
            return body
        time.sleep(0.1)
    return body


def test_up_starts_own_servers_when_nothing_answers_and_down_stops_all(
    make_stack: Callable[[dict[str, str]], Stack], run_id: str
) -> None:
    stack = make_stack(
        {
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(free_port()),
            "MYSQL_HOST": "127.0.0.1",
            "MYSQL_PORT": str(free_port()),
            "MYSQL_USER": "voter",
            "MYSQL_PASSWORD": "p%ss word",
            "VOTE_QUEUE": f"stack-{run_id}",
        }
    )

    started = stack.run("up")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "starting our own" in started.stdout
    assert "All components are healthy" in started.stdout
    assert cast_and_read(stack)["dogs"] == 1

    processes = descendants(stack.supervisord_pid())
    assert len(processes) >= 7

    again = stack.run("up")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already running" in again.stdout

    stopped = stack.run("down")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert [pid for pid in processes if alive(pid)] == []

    restarted = stack.run("up")
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    results = f"http://127.0.0.1:{stack.port('RESULT_WEB_PORT')}/api/results"
    assert requests.get(results, timeout=5).json()["dogs"] == 1


def test_up_uses_servers_that_answer(
    make_stack: Callable[[dict[str, str]], Stack], service_env: dict[str, str]
) -> None:
    stack = make_stack(service_env)

    started = stack.run("up")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "using the Redis" in started.stdout
    assert "using the MySQL" in started.stdout
    assert "external" in stack.run("status").stdout
    assert cast_and_read(stack)["dogs"] == 1


def test_up_names_the_variable_of_a_taken_port(
    make_stack: Callable[[dict[str, str]], Stack],
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        stack = make_stack({"FLOWER_PORT": str(busy.getsockname()[1])})
        result = stack.run("up")
    assert result.returncode == 1
    assert "FLOWER_PORT" in result.stderr
