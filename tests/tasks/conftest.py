"""Fixtures for the worker's fault tests: votes to send, workers, a database.

The worker stays a black box: tests reach it only through vote messages,
its health endpoint, the database it writes and the broker it reads.
"""

import json
import random
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery

from common.settings import MysqlSettings, RedisSettings
from common.votes import CastVote
from stack.database import apply_schema, connect
from tests.servers import LocalServer, start_mariadb, start_redis, wait_for
from tests.tasks.processes import Workers

OPTIONS = ("cats", "dogs")


def ballots(count: int, voters: int) -> list[CastVote]:
    """Return votes from a few voters who change their minds, 1 ms apart."""
    rng = random.Random(count * 1000 + voters)
    start = datetime.now(UTC)
    return [
        CastVote(
            vote_id=uuid.uuid4().hex,
            voter_id=f"voter{rng.randrange(voters)}",
            choice=rng.choice(OPTIONS),
            cast_at=start + timedelta(milliseconds=n),
        )
        for n in range(count)
    ]


def in_messages(votes: Sequence[CastVote], size: int) -> list[list[CastVote]]:
    """Split votes into messages, shuffled so later votes often arrive first."""
    messages = [list(votes[i : i + size]) for i in range(0, len(votes), size)]
    random.Random(len(votes)).shuffle(messages)
    return messages


def expected_tallies(votes: Sequence[CastVote]) -> dict[str, int]:
    """Return the tallies the votes imply: each voter's latest vote, once."""
    latest: dict[str, CastVote] = {}
    for vote in sorted(votes, key=lambda vote: (vote.cast_at, vote.vote_id)):
        latest[vote.voter_id] = vote
    return dict(Counter(vote.choice for vote in latest.values()))


def query(settings: MysqlSettings, sql: str, *args: object) -> list[Any]:
    """Run one read and return its rows."""
    with connect(settings) as connection, connection.cursor() as cursor:
        cursor.execute(sql, args)
        return list(cursor.fetchall())


def recorded_count(settings: MysqlSettings) -> int:
    """Return how many vote rows the database holds."""
    return int(query(settings, "SELECT COUNT(*) FROM votes")[0][0])


def tallies(settings: MysqlSettings) -> dict[str, int]:
    """Return the non-zero tallies by choice."""
    rows = query(settings, "SELECT choice, votes FROM tallies WHERE votes <> 0")
    return {str(choice): int(count) for choice, count in rows}


def assert_counted_once(settings: MysqlSettings, votes: Sequence[CastVote]) -> None:
    """Check that every vote has one row and the tallies count each voter once."""
    stored = sorted(row[0] for row in query(settings, "SELECT vote_id FROM votes"))
    assert stored == sorted(vote.vote_id for vote in votes)
    assert tallies(settings) == expected_tallies(votes)


def waiting_writers(settings: MysqlSettings) -> set[int]:
    """Return the connections whose insert has been running for a second or more.

    In these tests an insert takes that long only while it waits for a row
    that a test holds. The process list is read because MariaDB's
    ``innodb_trx`` sometimes leaves out a transaction that waits in its
    first statement.
    """
    rows = query(
        settings,
        "SELECT id FROM information_schema.processlist"
        " WHERE db = %s AND command = 'Query' AND time >= 1"
        " AND info LIKE 'INSERT%%'",
        settings.database,
    )
    return {int(row[0]) for row in rows}


@contextmanager
def vote_held(settings: MysqlSettings, vote: CastVote) -> Iterator[None]:
    """Hold the vote's row in an open transaction; roll it back on exit.

    A worker that records this vote waits for the row mid-transaction, so a
    test can kill or stop it at a moment it knows instead of racing it.
    """
    connection = connect(settings)
    connection.autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO votes (vote_id, voter_id, choice, cast_at)"
                " VALUES (%s, %s, %s, %s)",
                (vote.vote_id, vote.voter_id, vote.choice, vote.cast_at),
            )
        yield
    finally:
        connection.rollback()
        connection.close()


@contextmanager
def worker_mid_write(
    settings: MysqlSettings, queue: "VoteQueue", messages: Sequence[list[CastVote]]
) -> Iterator[None]:
    """Publish ``messages`` and return once a child is stuck mid-write on the first.

    Inside the block one message is in a child's open transaction and more
    are prefetched but unacknowledged; leaving the block releases the row.
    """
    with vote_held(settings, messages[0][0]):
        for message in messages:
            queue.publish(message)
        wait_for(lambda: bool(waiting_writers(settings)), 30, "a busy child")
        wait_for(lambda: queue.unacked() > 1, 30, "prefetched messages")
        yield


class VoteQueue:
    """Publish vote messages as vote_web does and see what the broker holds."""

    def __init__(self, settings: RedisSettings, name: str) -> None:
        self.name = name
        self.celery = Celery("tests", broker=settings.url, set_as_current=False)
        self.celery.conf.task_serializer = "json"
        self.redis = redis.Redis.from_url(settings.url)

    def publish(self, votes: Sequence[CastVote], task_id: str | None = None) -> None:
        """Send one ``record_vote`` message carrying ``votes``."""
        self.celery.send_task(
            "record_vote",
            args=[[vote.to_message() for vote in votes]],
            queue=self.name,
            task_id=task_id,
        )

    def unacked(self) -> int:
        """Return how many messages workers took from this queue but not acked."""
        held = self.redis.hvals("unacked")
        return sum(1 for raw in held if json.loads(raw)[2] == self.name)

    def pending(self) -> int:
        """Return how many messages still wait in the queue or in a worker."""
        return int(self.redis.llen(self.name)) + self.unacked()

    def close(self) -> None:
        """Delete what a failed test left in the queue, then disconnect."""
        self.redis.delete(self.name, f"{self.name}.dead", f"{self.name}.pending")
        self.celery.close()
        self.redis.close()


def wait_for_votes(
    settings: MysqlSettings, queue: VoteQueue, count: int, timeout: float
) -> None:
    """Wait until ``count`` votes have rows and the broker holds no more work.

    The empty broker matters: a copy still on its way could count twice
    after the test had looked.
    """
    wait_for(lambda: recorded_count(settings) >= count, timeout, f"{count} votes")
    wait_for(lambda: queue.pending() == 0, 30, "an idle queue")


@pytest.fixture
def vote_queue(
    redis_settings: RedisSettings, service_env: dict[str, str]
) -> Iterator[VoteQueue]:
    """Return the test's own vote queue."""
    queue = VoteQueue(redis_settings, service_env["VOTE_QUEUE"])
    yield queue
    queue.close()


@pytest.fixture
def workers(
    service_env: dict[str, str], tmp_path: Path, vote_queue: VoteQueue
) -> Iterator[Workers]:
    """Return a starter of real workers; all stop before their queue is emptied."""
    started = Workers(service_env, tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def own_mysql(tmp_path: Path) -> Iterator[tuple[MysqlSettings, LocalServer]]:
    """Start a MariaDB that this test alone may stop, with the schema applied."""
    directory = tmp_path / "mariadb"
    server_settings, server = start_mariadb(directory)
    settings = replace(server_settings, database="voting")
    try:
        apply_schema(settings)
        yield settings, server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[RedisSettings, LocalServer]]:
    """Start a Redis this test alone may restart; like the stack's, it keeps an AOF."""
    settings, server = start_redis(tmp_path / "redis", append_only=True)
    try:
        yield settings, server
    finally:
        server.stop()
