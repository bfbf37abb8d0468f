"""Measure how fast workers persist votes: fill the queue, then time the drain.

Uses the Redis and MySQL that the ``REDIS_*``/``MYSQL_*`` variables name, a
fresh database and queue of its own (removed afterwards)::

    .venv/bin/python load-tests/worker_throughput.py --votes 100000 \\
        --producers 10 --concurrency 1 2 --events on off

For each concurrency/events pair it enqueues the votes as messages of
``--group`` votes (by default the largest group vote_web sends, as it does
when votes arrive faster than it can publish), starts ``python -m tasks``,
and prints the queue depth as it drains and the rate. It ends by checking
that every vote was recorded exactly once.
"""

import argparse
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path

import pymysql
import redis
from celery import Celery

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.settings import load_mysql, load_redis
from common.votes import cast_vote
from stack.database import apply_schema
from stack.probes import free_port
from stack.queues import delete_queue
from vote_web.batcher import MAX_GROUP

ROOT = Path(__file__).resolve().parent.parent


def enqueue(
    broker_url: str, queue: str, votes: int, group: int, producers: int
) -> float:
    """Publish ``votes`` votes in messages of ``group``; return the seconds taken."""
    messages = [
        [cast_vote(uuid.uuid4().hex, "cats" if n % 2 else "dogs", None).to_message()
         for n in range(min(group, votes - start))]
        for start in range(0, votes, group)
    ]  # fmt: skip

    def produce(share: list[list[dict[str, object]]]) -> None:
        app = Celery(broker=broker_url)
        for message in share:
            app.send_task("record_vote", args=[message], queue=queue)
        app.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(producers) as pool:
        list(pool.map(produce, [messages[i::producers] for i in range(producers)]))
    return time.perf_counter() - started


def persisted(connection: pymysql.Connection) -> int:
    """Return how many votes the tallies count (each voter here votes once).

    Reading the tallies costs MySQL nothing; ``COUNT(*)`` of a table that grows
    by thousands of rows a second took a fifth of the drain rate away.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(votes), 0) FROM tallies")
        return int(cursor.fetchone()[0])


def check_exactly_once(connection: pymysql.Connection, votes: int) -> None:
    """Fail unless every vote has one row and the tallies count each once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT vote_id) FROM votes")
        rows, distinct = cursor.fetchone()
    counted = persisted(connection)
    if not rows == distinct == counted == votes:
        raise SystemExit(
            f"expected {votes} votes once each: {rows} rows, {distinct} distinct,"
            f" {counted} counted"
        )


def drain(
    env: dict[str, str],
    votes: int,
    connection: pymysql.Connection,
    queue_length: Callable[[], int],
) -> float:
    """Start a worker, print progress, return its steady drain rate in votes/s.

    The clock starts at the first persisted vote, so the worker's start-up
    (about a second) is not counted as slowness; it stops at the last.
    """
    worker = subprocess.Popen(
        [sys.executable, "-m", "tasks"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        first = wait_for_progress(worker, connection, 0)
        started = time.perf_counter()
        done, shown = first, started
        while done < votes:
            done = wait_for_progress(worker, connection, done)
            now = time.perf_counter()
            if now - shown >= 1 or done == votes:
                shown = now
                print(
                    f"    {now - started:6.1f} s  persisted {done:>8}"
                    f"  messages queued {queue_length():>6}"
                )
        rate = (votes - first) / (time.perf_counter() - started)
        check_exactly_once(connection, votes)
        return rate
    finally:
        worker.terminate()
        worker.wait()


def wait_for_progress(
    worker: subprocess.Popen[bytes], connection: pymysql.Connection, done: int
) -> int:
    """Return the persisted count once it passes ``done``; fail if the worker exits."""
    while True:
        count = persisted(connection)
        if count > done:
            return count
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited with {worker.returncode}")
        time.sleep(0.05)


def main() -> int:
    """Run every configuration and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=100_000)
    parser.add_argument("--group", type=int, default=MAX_GROUP)
    parser.add_argument("--producers", type=int, default=10)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--events", choices=["on", "off"], nargs="+", default=["off"])
    args = parser.parse_args()

    redis_settings = load_redis()
    broker = redis.Redis.from_url(redis_settings.url)
    summary = []
    for concurrency in args.concurrency:
        for events in args.events:
            token = uuid.uuid4().hex[:8]
            mysql = replace(load_mysql(), database=f"voting_bench_{token}")
            apply_schema(mysql)
            queue = f"bench-{token}"
            env = {
                **os.environ,
                "MYSQL_DATABASE": mysql.database,
                "VOTE_QUEUE": queue,
                "SOCKETIO_CHANNEL": f"bench-{token}",
                "PORT": str(free_port()),
                "WORKER_CONCURRENCY": str(concurrency),
                "CELERY_TASK_EVENTS": "true" if events == "on" else "false",
                "LOG_LEVEL": "WARNING",
            }
            connection = pymysql.connect(
                host=mysql.host, port=mysql.port, user=mysql.user,
                password=mysql.password, database=mysql.database, autocommit=True,
            )  # fmt: skip
            try:
                seconds = enqueue(
                    redis_settings.url, queue, args.votes, args.group, args.producers
                )
                print(
                    f"-c {concurrency}, events {events}: enqueued {args.votes} votes "
                    f"in {seconds:.1f} s ({args.votes / seconds:,.0f}/s)"
                )
                rate = drain(env, args.votes, connection, partial(broker.llen, queue))
                summary.append((concurrency, events, rate))
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP DATABASE `{mysql.database}`")
                connection.close()
                delete_queue(broker, queue)

    print(f"\n{args.votes} votes in messages of {args.group}")
    for concurrency, events, rate in summary:
        print(
            f"  -c {concurrency}  events {events:<3}  {rate:>10,.0f} votes/s persisted"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
