"""gunicorn's logger for the web apps, minus its access log.

Each app writes one JSON line per request itself, with the request id.
gunicorn would otherwise build its access-log fields for every request even
though the line is never shown, which costs a noticeable share of a
request's time.
"""

from typing import Any

from gunicorn.glogging import Logger


class AppLogsRequests(Logger):
    """gunicorn's error logging, with access lines left to the app."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """Write nothing: the app has logged the request already."""
