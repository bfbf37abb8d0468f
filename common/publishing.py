"""Publish votes as ``record_vote`` messages, for vote_web and the resender.

Publishers name the task rather than import the worker's code, so the parts
deploy apart. Connections are made lazily and re-made after failures.
"""

from typing import Any

from celery import Celery

CONNECT_TIMEOUT_SECONDS = 2


def make_publisher(name: str, broker_url: str) -> Celery:
    """Return a Celery app that only sends, with short connection timeouts."""
    celery = Celery(name, broker=broker_url)
    celery.conf.update(
        broker_connection_timeout=CONNECT_TIMEOUT_SECONDS,
        broker_transport_options={
            "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": CONNECT_TIMEOUT_SECONDS,
        },
        task_serializer="json",
    )
    return celery


def send_votes(celery: Celery, queue: str, messages: list[dict[str, Any]]) -> None:
    """Send one message carrying ``messages``; return once the broker holds it.

    The queue is addressed directly (no exchange, nothing declared) and the
    arguments are not rendered for logs: both cost more than the send.
    """
    celery.send_task(
        "record_vote",
        args=[messages],
        argsrepr=f"[{len(messages)} votes]",
        kwargsrepr="{}",
        queue=queue,
        exchange="",
        declare=[],
        retry=False,
    )
