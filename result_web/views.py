"""The results page, the results API and the health endpoints."""

from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, jsonify, render_template

from result_web.metrics import get_metrics
from result_web.tallies import get_reader

bp = Blueprint("results", __name__)


@bp.get("/")
def index() -> str:
    """Render the live results page; data arrives over Socket.IO."""
    config = current_app.config["RESULT"]
    return render_template(
        "index.html", options=config.options, vote_url=config.vote_url
    )


@bp.get("/api/results")
def api_results() -> Response:
    """Return each option's count, the total and when they were read."""
    return jsonify(get_reader().read())


@bp.get("/health")
def health() -> tuple[Response, int]:
    """Report whether the tallies can be read right now."""
    reader = get_reader()
    reader.read()
    healthy = reader.database_ok
    status = "healthy" if healthy else "unhealthy"
    get_metrics().health_checks.labels(status).inc()
    body = jsonify(
        status=status,
        service="result",
        database="connected" if healthy else "disconnected",
        timestamp=datetime.now(UTC).isoformat(),
    )
    return body, 200 if healthy else 503


@bp.get("/livez")
def liveness() -> Response:
    """Report that the process serves HTTP, without touching MySQL."""
    return jsonify(status="alive", service="result")
