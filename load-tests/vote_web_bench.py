"""Benchmark ``POST /vote`` against a bare Flask + LPUSH reference, in one run.

A third server, the contract floor, is the bare route plus the per-vote work
the contract fixes (signed cookie, metrics, two log lines): the most any
implementation of the contract could reach. All three run under gunicorn
with the same settings (vote_web's production defaults unless overridden by
env) against the Redis that the ``REDIS_*`` variables name; wrk drives each
with the same connections::

    .venv/bin/python load-tests/vote_web_bench.py --connections 50 --seconds 15

Needs ``wrk`` (Debian package). Queued messages and metric files are deleted
afterwards.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import redis
import requests

from common.settings import load_redis
from stack.probes import free_port
from stack.queues import delete_queue

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def start(
    command: list[str], env: dict[str, str], port: int
) -> subprocess.Popen[bytes]:
    """Start a server and wait until it answers on ``port``."""
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.post(
                f"http://127.0.0.1:{port}/vote", json={"vote": "cats"}, timeout=1
            )
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{command} did not answer on port {port}")


def run_wrk(port: int, connections: int, seconds: int) -> dict[str, float]:
    """Drive one server with wrk and return its figures."""
    output = subprocess.run(
        [
            "wrk", "-t2", f"-c{connections}", f"-d{seconds}s",
            "-s", str(HERE / "post_vote.lua"), f"http://127.0.0.1:{port}/vote",
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"RESULT (.*)", output)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    fields = dict(item.split("=") for item in match.group(1).split())
    seconds_run = int(fields["duration_us"]) / 1e6
    return {
        "requests": int(fields["requests"]),
        "rps": int(fields["requests"]) / seconds_run,
        "errors": int(fields["errors"]),
        "p50": int(fields["p50_us"]) / 1000,
        "p95": int(fields["p95_us"]) / 1000,
        "p99": int(fields["p99_us"]) / 1000,
    }


def worker_cpu_seconds(workers: list[psutil.Process]) -> float:
    """Return the user and system CPU time the gunicorn workers have used."""
    return sum(sum(worker.cpu_times()[:2]) for worker in workers)


def gunicorn_command(app: str, port: int) -> list[str]:
    """Return the gunicorn command both servers share, bar the app."""
    return [
        sys.executable, "-m", "gunicorn",
        "--config", "python:vote_web.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}",
        app,
    ]  # fmt: skip


def main() -> int:
    """Run both benchmarks and print a comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "VOTE_QUEUE": queue,
        "SECRET_KEY": "benchmark",
        "PYTHONPATH": f"{ROOT}:{HERE}",
        "PROMETHEUS_MULTIPROC_DIR": f"/tmp/{queue}-metrics",
    }
    Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir()
    servers = {
        "bare Flask + LPUSH": "bare_reference:app",
        "contract floor": "contract_floor:app",
        "vote_web": "vote_web.wsgi:app",
    }
    figures = {}
    try:
        for name, app in servers.items():
            port = free_port()
            process = start(gunicorn_command(app, port), env, port)
            try:
                workers = psutil.Process(process.pid).children()
                cpu_before = worker_cpu_seconds(workers)
                row = run_wrk(port, args.connections, args.seconds)
                cpu_used = worker_cpu_seconds(workers) - cpu_before
                row["cpu_us"] = cpu_used * 1e6 / row["requests"]
                figures[name] = row
            finally:
                process.terminate()
                process.wait()
    finally:
        delete_queue(redis.Redis.from_url(load_redis().url), queue)
        shutil.rmtree(env["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)

    print(
        f"{args.connections} connections, {args.seconds} s each, gunicorn as vote_web"
    )
    header = ("server", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "cpu µs")
    print(f"{header[0]:<20}" + "".join(f"{title:>8}" for title in header[1:]))
    for name, row in figures.items():
        print(
            f"{name:<20}{row['rps']:>8.0f}{row['p50']:>8.1f}"
            f"{row['p95']:>8.1f}{row['p99']:>8.1f}{row['errors']:>8.0f}"
            f"{row['cpu_us']:>8.0f}"
        )
    print("(cpu µs: the gunicorn workers' CPU time per request)")
    bare = figures["bare Flask + LPUSH"]["rps"]
    for name in ("contract floor", "vote_web"):
        print(f"{name} / bare reference: {figures[name]['rps'] / bare:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
