"""Votes that were published but are not recorded yet, kept in Redis.

Celery's Redis transport pops a message off the queue and only then notes it
as unacknowledged; a worker killed between the two steps takes the message
with it, and nothing would bring it back. So vote_web notes every vote in a
hash beside the queue before publishing it, the worker deletes the entries
once their transaction commits, and the worker's resender publishes again
any vote left there for longer than a redelivery takes. Recording is
idempotent, so a vote sent twice still counts once.
"""

import json
from collections.abc import Iterable
from datetime import datetime

import redis

from common.votes import CastVote


def pending_key(queue: str) -> str:
    """Return the hash of pending votes for ``queue``: vote id to message."""
    return f"{queue}.pending"


def note_pending(client: redis.Redis, queue: str, votes: Iterable[CastVote]) -> None:
    """Remember votes about to be published."""
    entries = {vote.vote_id: json.dumps(vote.to_message()) for vote in votes}
    if entries:
        client.hset(pending_key(queue), mapping=entries)  # type: ignore[arg-type]


def forget_pending(client: redis.Redis, queue: str, vote_ids: Iterable[str]) -> None:
    """Drop votes that are recorded, or that will never be published."""
    ids = list(vote_ids)
    if ids:
        client.hdel(pending_key(queue), *ids)


def cast_time(message: str) -> datetime | None:
    """Return when a pending vote was cast, or None if the entry is unreadable."""
    try:
        return datetime.fromisoformat(json.loads(message)["cast_at"])
    except (ValueError, TypeError, KeyError):
        return None
