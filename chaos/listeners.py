"""Socket.IO clients that watch the results page, as browsers would.

Each remembers how often it connected and the last ``results`` event, so a
drill can tell that it came back after result_web restarted and caught up.
"""

import threading
from typing import Any

import socketio

CONNECT_TIMEOUT_SECONDS = 30


class Listener:
    """One live-results client that reconnects by itself."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.connections = 0
        self.events_since_connect = 0
        self.last: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self.client = socketio.Client(
            reconnection=True,
            reconnection_attempts=0,
            reconnection_delay=0.5,
            reconnection_delay_max=2,
        )
        self.client.on("connect", self._connected)
        self.client.on("results", self._results)

    def connect(self) -> "Listener":
        """Connect over WebSocket and return once connected."""
        self.client.connect(
            self.url, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT_SECONDS
        )
        return self

    def resynchronised(self) -> bool:
        """Return whether it reconnected and then received fresh results."""
        with self._lock:
            return self.connections >= 2 and self.events_since_connect > 0

    def shows(self, tallies: dict[str, int]) -> bool:
        """Return whether the last results it received equal ``tallies``."""
        with self._lock:
            last = self.last or {}
        return all(last.get(option) == count for option, count in tallies.items())

    def close(self) -> None:
        """Disconnect for good."""
        self.client.disconnect()

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1
            self.events_since_connect = 0

    def _results(self, data: dict[str, Any]) -> None:
        with self._lock:
            self.last = data
            self.events_since_connect += 1
