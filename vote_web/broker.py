"""Publish accepted votes as ``record_vote`` tasks on the Redis broker.

vote_web names the task rather than importing the worker's code, so the two
deploy apart. Connections are made lazily and re-made after failures, so
vote_web starts while Redis is down and recovers without a restart.
"""

import redis
from celery import Celery
from flask import Flask, current_app
from kombu.exceptions import OperationalError

from common.votes import CastVote
from vote_web.batcher import PublishTimeoutError, VoteBatcher
from vote_web.config import VoteConfig

CONNECT_TIMEOUT_SECONDS = 2


class QueueUnavailableError(RuntimeError):
    """The broker did not take the message; the vote was not accepted."""


class VoteQueue:
    """A Celery producer for the vote queue, plus a cheap health probe."""

    def __init__(self, config: VoteConfig) -> None:
        self.queue = config.queue
        self.celery = Celery("vote_web", broker=config.redis.url)
        self.celery.conf.update(
            broker_connection_timeout=CONNECT_TIMEOUT_SECONDS,
            broker_transport_options={
                "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "socket_timeout": CONNECT_TIMEOUT_SECONDS,
            },
            task_serializer="json",
        )
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
        """Hand the votes to the broker; return only once it holds them."""
        try:
            self.celery.send_task(
                "record_vote",
                args=[[vote.to_message() for vote in votes]],
                argsrepr=f"[{len(votes)} votes]",
                kwargsrepr="{}",
                queue=self.queue,
                exchange="",
                declare=[],
                retry=False,
            )
        except (OperationalError, redis.RedisError, OSError) as error:
            raise QueueUnavailableError(str(error)) from error

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
