"""Request ids and one JSON log line per request."""

import logging
import time
import uuid

from flask import Flask, Response, g, request

from common.votes import REQUEST_ID
from vote_web.metrics import get_metrics

log = logging.getLogger("vote_web.access")


def init_app(app: Flask) -> None:
    """Time every request, tag it with an id, and log it once."""
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    g.started = time.perf_counter()
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    duration = time.perf_counter() - g.get("started", time.perf_counter())
    request_id = g.get("request_id", "")
    response.headers["X-Request-ID"] = request_id
    get_metrics().request_duration.labels(request.endpoint or "none").observe(duration)
    log.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(duration * 1000, 2),
            "request_id": request_id,
        },
    )
    return response
