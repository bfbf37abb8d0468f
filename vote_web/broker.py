"""Publish accepted votes as ``record_vote`` tasks on the Redis broker.

Connections are made lazily and re-made after failures, so vote_web starts
while Redis is down and recovers without a restart.
"""

import contextlib

import redis
from flask import Flask, current_app
from kombu.exceptions import OperationalError

from common.pending import forget_pending, note_pending
from common.publishing import CONNECT_TIMEOUT_SECONDS, make_publisher, send_votes
from common.votes import CastVote
from vote_web.batcher import PublishTimeoutError, VoteBatcher
from vote_web.config import VoteConfig


class QueueUnavailableError(RuntimeError):
    """The broker did not take the message; the vote was not accepted."""


class VoteQueue:
    """A Celery producer for the vote queue, plus a cheap health probe."""

    def __init__(self, config: VoteConfig) -> None:
        self.queue = config.queue
        self.celery = make_publisher("vote_web", config.redis.url)
        self.batcher = VoteBatcher(self.publish)
        self.redis = redis.Redis.from_url(
            config.redis.url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=CONNECT_TIMEOUT_SECONDS,
        )

    def submit(self, vote: CastVote) -> None:
        """Queue one vote, possibly in one message with others; wait until sent."""
        try:
            self.batcher.submit(vote)
        except PublishTimeoutError as error:
            raise QueueUnavailableError(str(error)) from error

    def publish(self, votes: list[CastVote]) -> None:
        """Hand the votes to the broker; return only once it holds them.

        The votes are noted as pending first (see ``common.pending``), so a
        worker that dies holding their message cannot lose them.
        """
        try:
            note_pending(self.redis, self.queue, votes)
            send_votes(self.celery, self.queue, [v.to_message() for v in votes])
        except (OperationalError, redis.RedisError, OSError) as error:
            self._forget_refused(votes)
            raise QueueUnavailableError(str(error)) from error

    def _forget_refused(self, votes: list[CastVote]) -> None:
        """Keep refused votes from being sent later; Redis may be gone, though."""
        # If this fails, the note most likely never reached Redis either.
        with contextlib.suppress(redis.RedisError, OSError):
            forget_pending(self.redis, self.queue, [vote.vote_id for vote in votes])

    def is_reachable(self) -> bool:
        """Return whether Redis answers PING."""
        try:
            return bool(self.redis.ping())
        except (redis.RedisError, OSError):
            return False


def init_app(app: Flask) -> None:
    """Attach a vote queue built from the app's settings."""
    app.extensions["vote_queue"] = VoteQueue(app.config["VOTE"])


def get_queue() -> VoteQueue:
    """Return the current app's vote queue."""
    return current_app.extensions["vote_queue"]
