"""vote_web: the page and API where votes are cast and queued."""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from common import access, http_errors, security
from vote_web import broker, metrics, ratelimit
from vote_web.config import VoteConfig, load_config
from vote_web.sessions import VOTER_COOKIE, ReusedSignerSessionInterface

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def create_app(
    config: VoteConfig | None = None, test_config: Mapping[str, Any] | None = None
) -> Flask:
    """Build the vote front end from settings (read from the environment)."""
    config = config or load_config()
    app = Flask(__name__)
    app.session_interface = ReusedSignerSessionInterface()
    app.config.update(
        VOTE=config,
        SECRET_KEY=config.secret_key,
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        **VOTER_COOKIE,
    )
    if test_config:
        app.config.update(test_config)

    metrics.init_app(app)
    access.init_app(app)
    http_errors.init_app(app)
    broker.init_app(app)
    security.init_app(app, CONTENT_SECURITY_POLICY)

    from vote_web.views import bp

    app.register_blueprint(bp)
    ratelimit.init_app(app)
    return app
