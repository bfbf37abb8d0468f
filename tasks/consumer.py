"""Celery's message consumer, made to outlive an unclean close of a lost broker.

When Redis goes away mid-poll, Celery collects the dead connection and then
closes it. Collecting tries to close the channel, fails on the dead socket,
ignores that, and detaches the transport anyway. Closing the connection then
closes the same channel again; its requeue of unacknowledged messages goes
through the detached transport, raises ``AttributeError``, and Celery stops
the worker as "unrecoverable". Those messages are still in Redis's unacked
set and come back after the visibility timeout, and recording is
idempotent, so reconnecting as usual loses nothing.
"""

import logging

from celery.worker.consumer import Consumer

log = logging.getLogger(__name__)


class ReconnectingConsumer(Consumer):
    """A consumer that reconnects even when the lost connection closes badly."""

    def on_connection_error_after_connected(self, exc: Exception) -> None:
        """Drop the lost connection, tolerating kombu's half-closed transport."""
        try:
            super().on_connection_error_after_connected(exc)
        except AttributeError as error:
            log.warning(
                "lost broker connection did not close cleanly; reconnecting",
                extra={"error": repr(error)},
            )
