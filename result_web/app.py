"""Build the result_web Flask app."""

from flask import Flask, Response

from common import access, http_errors
from result_web import live, metrics, tallies
from result_web.config import ResultConfig, load_config
from result_web.db import db

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def create_app(
    config: ResultConfig | None = None, async_mode: str = "threading"
) -> Flask:
    """Build the results app from settings (read from the environment)."""
    config = config or load_config()
    app = Flask(__name__)
    app.config.update(
        RESULT=config,
        SQLALCHEMY_DATABASE_URI=config.mysql.url,
        SQLALCHEMY_ENGINE_OPTIONS={
            "pool_pre_ping": True,
            "pool_recycle": 300,
            "connect_args": {"connect_timeout": 3},
        },
    )
    db.init_app(app)
    access.init_app(app)
    metrics.init_app(app)
    tallies.init_app(app)
    http_errors.init_app(app)
    live.init_app(app, async_mode)
    app.after_request(add_security_headers)

    from result_web.views import bp

    app.register_blueprint(bp)
    return app


def add_security_headers(response: Response) -> Response:
    """Forbid inline scripts, framing and content sniffing on every response."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
