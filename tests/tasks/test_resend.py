"""Votes published but never recorded are found and published again, once.

vote_web notes each vote as pending before publishing it; the worker clears
the note after its commit. A vote still noted long after it was cast lost
its message (a worker killed between taking it and noting it as unacked).
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import requests

from common.pending import note_pending, pending_key
from common.settings import MysqlSettings
from tests.servers import wait_for
from tests.tasks.conftest import (
    VoteQueue,
    assert_counted_once,
    ballots,
    recorded_count,
    wait_for_votes,
)
from tests.tasks.processes import Workers

pytestmark = pytest.mark.slow


def resent_total(metrics_url: str) -> float:
    """Return ``votes_resent_total`` from the worker's metrics."""
    for line in requests.get(metrics_url, timeout=10).text.splitlines():
        if line.startswith("votes_resent_total "):
            return float(line.split()[1])
    raise AssertionError("votes_resent_total is missing")


def test_noted_votes_whose_message_was_lost_are_published_again(
    workers: Workers, vote_queue: VoteQueue, database: MysqlSettings
) -> None:
    cast_long_ago = datetime.now(UTC) - timedelta(minutes=5)
    votes = [replace(v, cast_at=cast_long_ago) for v in ballots(40, voters=40)]
    recorded, lost = votes[:10], votes[10:]
    worker = workers.start(concurrency=1, RESEND_AFTER_SECONDS="2")
    vote_queue.publish(recorded)
    wait_for_votes(database, vote_queue, len(recorded), 30)

    note_pending(vote_queue.redis, vote_queue.name, votes)

    wait_for(lambda: recorded_count(database) == len(votes), 30, "the lost votes")
    wait_for_votes(database, vote_queue, len(votes), 30)
    assert_counted_once(database, votes)
    wait_for(
        lambda: vote_queue.redis.hlen(pending_key(vote_queue.name)) == 0,
        30,
        "no vote left pending",
    )
    assert resent_total(f"{worker.url}/metrics") == len(lost)


def test_worker_clears_the_note_of_each_vote_it_records(
    workers: Workers, vote_queue: VoteQueue, database: MysqlSettings
) -> None:
    votes = ballots(30, voters=10)
    workers.start(concurrency=1)

    note_pending(vote_queue.redis, vote_queue.name, votes)
    vote_queue.publish(votes)

    wait_for_votes(database, vote_queue, len(votes), 30)
    wait_for(
        lambda: vote_queue.redis.hlen(pending_key(vote_queue.name)) == 0,
        10,
        "the notes cleared",
    )
    assert_counted_once(database, votes)
