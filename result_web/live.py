"""Socket.IO: push ``results`` to browsers as they change.

Updates arrive two ways: the worker emits through the Redis message queue
after each commit (fast path), and each instance polls the tallies every
``POLL_INTERVAL`` ms and emits only on change (repairs any lost update).
"""

import logging
from typing import Any

from flask import Flask, current_app
from flask_socketio import SocketIO, emit

from result_web.metrics import get_metrics
from result_web.tallies import get_reader

log = logging.getLogger(__name__)

socketio = SocketIO()


def init_app(app: Flask, async_mode: str) -> None:
    """Attach Socket.IO to the app and to the shared message queue."""
    config = app.config["RESULT"]
    socketio.init_app(
        app,
        async_mode=async_mode,
        message_queue=config.redis.url,
        channel=config.channel,
        cors_allowed_origins=[],
    )
    app.extensions["result_poller"] = {"started": False}


@socketio.on("connect")
def on_connect() -> None:
    """Send the current results to a new client and make sure polling runs."""
    get_metrics().clients_connected.inc()
    emit("results", get_reader().read())
    _start_poller(current_app._get_current_object())  # type: ignore[attr-defined]


@socketio.on("disconnect")
def on_disconnect(*_: Any) -> None:
    """Count the client out."""
    get_metrics().clients_connected.dec()


def _start_poller(app: Flask) -> None:
    state = app.extensions["result_poller"]
    if state["started"]:
        return
    state["started"] = True
    socketio.start_background_task(_poll, app)


def _poll(app: Flask) -> None:
    """Emit results whenever the tallies or their freshness change."""
    config = app.config["RESULT"]
    interval = config.poll_interval_ms / 1000
    watched = (*config.options, "total", "stale")
    previous: tuple[Any, ...] | None = None
    while True:
        with app.app_context():
            results = get_reader().read()
        fingerprint = tuple(results[key] for key in watched)
        if fingerprint != previous:
            previous = fingerprint
            socketio.emit("results", results)
        socketio.sleep(interval)
