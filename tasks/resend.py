"""Send again the votes that were published but never recorded.

A worker killed between popping a message and noting it as unacknowledged
loses it (see ``common.pending``). Each worker's main process sweeps the
pending votes now and then; a short Redis lock lets one worker in the
cluster sweep at a time. A pending vote older than ``RESEND_AFTER_SECONDS``
(longer than a killed worker's messages take to be redelivered) is looked
up in MySQL: if recorded, its entry is dropped; if not, it is published
again. While a backlog waits in the queue, the sweep only cleans up, since
old votes may simply not have been reached yet.
"""

import json
import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

import redis
from kombu.exceptions import OperationalError
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import bindparam, text
from sqlalchemy.exc import SQLAlchemyError

from common.pending import cast_time, forget_pending, pending_key
from common.publishing import make_publisher, send_votes
from tasks.probes import Dependencies, fork_guard

log = logging.getLogger(__name__)

BACKLOG_MESSAGES = 100
SWEEP_LIMIT = 10_000
GROUP = 500
RECORDED = text("SELECT vote_id FROM votes WHERE vote_id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


class Resender(Collector):
    """Sweep pending votes; count, for Prometheus, how many were sent again."""

    def __init__(self, dependencies: Dependencies) -> None:
        config = dependencies.config
        self.dependencies = dependencies
        self.queue = config.queue
        self.resend_after = config.resend_after_seconds
        self.publisher = make_publisher("resender", config.redis.url)
        self.lock_key = f"{pending_key(self.queue)}.sweep"
        self.resent_total = 0
        self._last_sent: dict[str, float] = {}

    def run(self, stopped: threading.Event) -> None:
        """Sweep every quarter of the resend age until ``stopped`` is set."""
        interval = max(1.0, self.resend_after / 4)
        while not stopped.wait(interval):
            try:
                with fork_guard:
                    self.sweep(lock_seconds=interval)
            except (redis.RedisError, SQLAlchemyError, OperationalError) as error:
                log.warning("pending-vote sweep failed", extra={"error": str(error)})

    def sweep(self, lock_seconds: float) -> int:
        """Send again the stale pending votes MySQL lacks; return how many."""
        client = self.dependencies.redis
        if not client.set(self.lock_key, 1, nx=True, px=int(lock_seconds * 1000)):
            return 0
        stale = self._stale_entries(client)
        if not stale:
            return 0

        recorded = self._recorded(list(stale))
        forget_pending(client, self.queue, recorded)
        missing = [json.loads(stale[vote_id]) for vote_id in stale.keys() - recorded]
        if not missing or client.llen(self.queue) > BACKLOG_MESSAGES:
            return 0
        for start in range(0, len(missing), GROUP):
            send_votes(self.publisher, self.queue, missing[start : start + GROUP])
        now = time.monotonic()
        self._last_sent.update((message["vote_id"], now) for message in missing)
        self.resent_total += len(missing)
        log.warning(
            "votes published again: never recorded",
            extra={"count": len(missing), "vote_ids": [m["vote_id"] for m in missing]},
        )
        return len(missing)

    def _stale_entries(self, client: redis.Redis) -> dict[str, str]:
        """Return pending votes older than the resend age, not just sent again."""
        now = time.monotonic()
        self._last_sent = {
            vote_id: sent
            for vote_id, sent in self._last_sent.items()
            if now - sent < self.resend_after
        }
        cutoff = datetime.now(UTC).timestamp() - self.resend_after
        stale: dict[str, str] = {}
        entries = client.hscan_iter(pending_key(self.queue), count=1000)
        for raw_id, raw_message in entries:
            vote_id, message = raw_id.decode(), raw_message.decode()
            cast_at = cast_time(message)
            if cast_at is None or cast_at.timestamp() > cutoff:
                continue
            if vote_id in self._last_sent:
                continue
            stale[vote_id] = message
            if len(stale) >= SWEEP_LIMIT:
                break
        return stale

    def _recorded(self, vote_ids: list[str]) -> set[str]:
        """Return which of ``vote_ids`` have their row in MySQL."""
        found: set[str] = set()
        with self.dependencies.engine.connect() as connection:
            for start in range(0, len(vote_ids), 1000):
                chunk = vote_ids[start : start + 1000]
                found.update(connection.execute(RECORDED, {"ids": chunk}).scalars())
        return found

    def collect(self) -> Any:
        """Yield ``votes_resent_total``."""
        family = CounterMetricFamily(
            "votes_resent", "Pending votes published again because never recorded."
        )
        family.add_metric([], self.resent_total)
        yield family
