"""How fast a vote reaches every browser, with many Socket.IO clients on one process.

Starts vote_web, a worker and one result_web process (gunicorn, one gevent
worker) against the Redis and MySQL the ``REDIS_*``/``MYSQL_*`` variables
name, with a database, queue and channel of its own; connects N WebSocket
clients; then casts votes one at a time and times, for each client, the
delay from vote_web's 200 to that client's ``results`` event::

    .venv/bin/python load-tests/socket_fanout.py --clients 1000 5000

All clients live in this one asyncio process, so the figures include its own
queueing: they are an upper bound on what a browser would see.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common.settings import MysqlSettings, load_mysql  # noqa: E402
from stack.database import apply_schema, connect  # noqa: E402
from stack.probes import free_port  # noqa: E402


@contextmanager
def component(module: str, env: dict[str, str], health: str) -> Iterator[str]:
    """Run ``python -m module`` on a free port until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        env={**env, "PORT": str(port)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(url + health, timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def resident_mb(url: str) -> float:
    """Return the resident memory of the process serving ``url`` (gunicorn's worker)."""
    port = url.rsplit(":", 1)[1]
    master = subprocess.run(
        ["fuser", "-n", "tcp", port], capture_output=True, text=True
    ).stdout.split()
    pids = {pid for pid in master if pid.isdigit()}
    children = subprocess.run(
        ["pgrep", "-P", ",".join(pids)], capture_output=True, text=True
    ).stdout.split()
    worker = (children or sorted(pids))[0]
    for line in Path(f"/proc/{worker}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def connect_clients(
    url: str, count: int
) -> list[tuple[socketio.AsyncClient, list]]:
    """Connect ``count`` clients; each records (arrival time, total) per event."""
    clients = []

    async def connect_one() -> None:
        client = socketio.AsyncClient(reconnection=False)
        seen: list[tuple[float, int]] = []
        client.on(
            "results",
            lambda data, seen=seen: seen.append((time.perf_counter(), data["total"])),
        )
        await client.connect(url, transports=["websocket"], wait_timeout=30)
        clients.append((client, seen))

    for start in range(0, count, 100):
        await asyncio.gather(*(connect_one() for _ in range(min(100, count - start))))
    return clients


async def measure(
    vote_url: str, result_url: str, count: int, rounds: int
) -> dict[str, float]:
    """Connect clients, cast ``rounds`` votes, return latency figures in ms."""
    clients = await connect_clients(result_url, count)
    await asyncio.sleep(1)
    delays: list[float] = []
    slowest: list[float] = []
    try:
        for round_number in range(1, rounds + 1):
            answer = await asyncio.to_thread(
                requests.post, f"{vote_url}/vote", json={"vote": "cats"}, timeout=10
            )
            answer.raise_for_status()
            accepted = time.perf_counter()
            deadline = accepted + 30
            while time.perf_counter() < deadline:
                if all(
                    any(total >= round_number for _, total in seen)
                    for _, seen in clients
                ):
                    break
                await asyncio.sleep(0.01)
            arrivals = [
                min(at for at, total in seen if total >= round_number)
                for _, seen in clients
                if any(total >= round_number for _, total in seen)
            ]
            round_delays = [(at - accepted) * 1000 for at in arrivals]
            delays += round_delays
            slowest.append(max(round_delays))
            await asyncio.sleep(1)
    finally:
        await asyncio.gather(*(client.disconnect() for client, _ in clients))
    delays.sort()
    return {
        "p50": statistics.median(delays),
        "p95": delays[int(0.95 * (len(delays) - 1))],
        "p99": delays[int(0.99 * (len(delays) - 1))],
        "every_client": statistics.median(slowest),
        "received": len(delays) / rounds,
    }


def main() -> int:
    """Run the measurement for each client count and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    token = uuid.uuid4().hex[:8]
    mysql = replace(load_mysql(), database=f"voting_fanout_{token}")
    apply_schema(mysql)
    env = {
        **os.environ,
        "MYSQL_DATABASE": mysql.database,
        "VOTE_QUEUE": f"fanout-{token}",
        "SOCKETIO_CHANNEL": f"fanout-{token}",
        "SECRET_KEY": "benchmark",
        "HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    rows = []
    try:
        with (
            component("vote_web", env, "/livez") as vote_url,
            component("tasks", {**env, "WORKER_CONCURRENCY": "1"}, "/health"),
        ):
            for count in args.clients:
                with component("result_web", env, "/livez") as result_url:
                    figures = asyncio.run(
                        measure(vote_url, result_url, count, args.rounds)
                    )
                    figures["rss_mb"] = resident_mb(result_url)
                    rows.append((count, figures))
                    _truncate(mysql)
    finally:
        with (
            connect(mysql, use_database=False) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DROP DATABASE `{mysql.database}`")

    print(f"vote accepted -> results event; {args.rounds} votes a run; one process")
    columns = ("clients", "p50 ms", "p95 ms", "p99 ms", "all ms", "got", "RSS MB")
    print("".join(f"{title:>9}" for title in columns))
    for count, figures in rows:
        values = [figures[key] for key in ("p50", "p95", "p99", "every_client")]
        values += [figures["received"], figures["rss_mb"]]
        print(f"{count:>9}" + "".join(f"{value:>9.0f}" for value in values))
    return 0


def _truncate(mysql: MysqlSettings) -> None:
    """Empty the tables so the next run's totals start from zero."""
    with connect(mysql) as connection, connection.cursor() as cursor:
        for table in ("votes", "voter_choices", "tallies"):
            cursor.execute(f"DELETE FROM {table}")


if __name__ == "__main__":
    sys.exit(main())
