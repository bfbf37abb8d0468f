"""An optional per-client limit on ``POST /vote`` (off unless ``RATE_LIMIT`` is set).

Counts live in Redis, keyed by the vote queue's name, so the limit holds
across gunicorn workers and instances of one deployment. If Redis cannot be
reached the limit is skipped rather than refusing votes; the vote itself then
gets the usual 503.
"""

from typing import Any

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def init_app(app: Flask) -> None:
    """Limit the vote endpoint per client address, when a limit is configured."""
    config = app.config["VOTE"]
    if not config.rate_limit:
        return
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=config.redis.url,
        storage_options={"socket_connect_timeout": 2, "socket_timeout": 2},
        swallow_errors=True,
        key_prefix=f"ratelimit:{config.queue}",
        headers_enabled=True,
    )
    view = app.view_functions["vote.vote"]
    limited: Any = limiter.limit(config.rate_limit)(view)
    app.view_functions["vote.vote"] = limited
