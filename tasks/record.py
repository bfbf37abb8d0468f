"""The ``record_vote`` task: persist a message of votes, exactly once each."""

import json
import logging
import random
from collections import Counter
from datetime import UTC, datetime

import redis
from celery import Task, shared_task
from flask import current_app
from sqlalchemy.exc import DBAPIError

from common.pending import forget_pending
from common.votes import CastVote, InvalidVoteError, parse_vote
from tasks import metrics
from tasks.db import db
from tasks.recording import ConcurrentDeliveryError, record_votes

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 20


@shared_task(name="record_vote", bind=True, max_retries=None)
def record_vote(self: Task, *args: object) -> int:
    """Record the votes of one message; return how many were new.

    The message carries one argument, a list of vote objects. Votes that can
    never be recorded go to the dead-letter list once; database failures are
    retried with backoff for as long as an outage lasts.
    """
    votes = _valid_votes(args)
    if not votes:
        _forget_pending(_vote_ids(args))
        return 0

    try:
        with metrics.vote_process_duration.time():
            new_votes = record_votes(db.session, votes)
            db.session.commit()
    except (DBAPIError, ConcurrentDeliveryError) as error:
        db.session.rollback()
        metrics.database_errors.inc()
        delay = backoff_delay(self.request.retries)
        log.warning(
            "database write failed, will retry",
            extra={
                "error": str(getattr(error, "orig", error)),
                "retry_in_s": round(delay, 2),
            },
        )
        raise self.retry(countdown=delay) from error

    _forget_pending(_vote_ids(args))
    for choice, count in Counter(vote.choice for vote in new_votes).items():
        metrics.votes_processed.labels(choice).inc(count)
    log.info(
        "votes recorded",
        extra={
            "received": len(votes),
            "recorded": len(new_votes),
            "vote_ids": [vote.vote_id for vote in votes],
            "request_ids": sorted({v.request_id for v in votes if v.request_id}),
        },
    )
    if new_votes:
        current_app.extensions["results_publisher"].changed()
    return len(new_votes)


def backoff_delay(retries: int) -> float:
    """Return an exponential delay with full jitter, capped well below redelivery."""
    ceiling = min(MAX_BACKOFF_SECONDS, 0.5 * 2**retries)
    return random.uniform(ceiling / 2, ceiling)


def _vote_ids(args: tuple[object, ...]) -> list[str]:
    """Return the ids of every vote in the message, dead-lettered ones too."""
    messages = args[0] if len(args) == 1 and isinstance(args[0], list) else []
    return [
        message["vote_id"]
        for message in messages
        if isinstance(message, dict) and isinstance(message.get("vote_id"), str)
    ]


def _forget_pending(vote_ids: list[str]) -> None:
    """Tell the resender these votes are done; it double-checks if this fails."""
    config = current_app.config["WORKER"]
    try:
        forget_pending(current_app.extensions["redis"], config.queue, vote_ids)
    except redis.RedisError as error:
        metrics.redis_errors.inc()
        log.warning("could not clear pending votes", extra={"error": str(error)})


def _valid_votes(args: tuple[object, ...]) -> list[CastVote]:
    options = current_app.config["WORKER"].options
    if len(args) != 1 or not isinstance(args[0], list):
        dead_letter(args, "task expects one argument, a list of votes")
        return []

    votes = []
    for message in args[0]:
        try:
            votes.append(parse_vote(message, options))
        except InvalidVoteError as error:
            dead_letter(message, str(error))
    return votes


def dead_letter(payload: object, reason: str) -> None:
    """Park a payload that can never be recorded, with the reason, for a human."""
    config = current_app.config["WORKER"]
    entry = {
        "reason": reason,
        "payload": payload,
        "dead_at": datetime.now(UTC).isoformat(),
    }
    try:
        current_app.extensions["redis"].lpush(
            f"{config.queue}.dead", json.dumps(entry, default=repr)
        )
    except redis.RedisError:
        metrics.redis_errors.inc()
        raise
    metrics.votes_dead_lettered.inc()
    log.error("vote dead-lettered", extra={"reason": reason})
