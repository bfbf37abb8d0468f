"""Push fresh results to result_web's browsers through the Socket.IO queue.

Emits are coalesced per worker process: at most one every ``MIN_INTERVAL``
seconds, with a trailing emit so the last change of a burst always arrives.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask_socketio import SocketIO
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

MIN_INTERVAL = 0.25


class ResultsPublisher:
    """Emit ``results`` events, at most a few per second."""

    def __init__(
        self,
        redis_url: str,
        channel: str,
        read_results: Callable[[], dict[str, Any]],
    ) -> None:
        self._socketio = SocketIO(
            message_queue=redis_url, channel=channel, async_mode="threading"
        )
        self._read_results = read_results
        self._lock = threading.Lock()
        self._last_emit = 0.0
        self._pending = False

    def changed(self) -> None:
        """Note that tallies changed; emit now or once the interval has passed."""
        with self._lock:
            if self._pending:
                return
            wait = self._last_emit + MIN_INTERVAL - time.monotonic()
            self._pending = True
        if wait <= 0:
            self._emit()
        else:
            timer = threading.Timer(wait, self._emit)
            timer.daemon = True
            timer.start()

    def _emit(self) -> None:
        with self._lock:
            self._pending = False
            self._last_emit = time.monotonic()
        try:
            self._socketio.emit("results", self._read_results())
        except (RedisError, SQLAlchemyError):
            # A lost update is repaired by result_web's own polling.
            log.warning("results emit failed", exc_info=True)
