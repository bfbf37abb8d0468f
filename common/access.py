"""Request ids and one JSON log line per request, for both web apps."""

import logging
import time
import uuid

from flask import Flask, Response, g, request

from common.votes import REQUEST_ID

log = logging.getLogger("access")


def init_app(app: Flask) -> None:
    """Time every request, tag it with an id, and log it once."""
    app.before_request(_start)
    app.after_request(_finish)


def request_seconds() -> float:
    """Return how long the current request has taken so far."""
    return time.perf_counter() - g.get("started", time.perf_counter())


def _start() -> None:
    g.started = time.perf_counter()
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    request_id = g.get("request_id", "")
    response.headers["X-Request-ID"] = request_id
    log.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(request_seconds() * 1000, 2),
            "request_id": request_id,
        },
    )
    return response
