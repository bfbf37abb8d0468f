"""Build the result_web Flask app."""

from flask import Flask

from common import access, http_errors, security
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
        **config.mysql.flask_sqlalchemy_config(connect_timeout=3),
    )
    db.init_app(app)
    access.init_app(app)
    metrics.init_app(app)
    tallies.init_app(app)
    http_errors.init_app(app)
    live.init_app(app, async_mode)
    security.init_app(app, CONTENT_SECURITY_POLICY)

    from result_web.views import bp

    app.register_blueprint(bp)
    return app
