"""The voting page, the vote API and the health endpoints."""

import json
import logging
import secrets
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from common.http_errors import json_error
from common.votes import cast_vote
from vote_web.broker import QueueUnavailableError, get_queue
from vote_web.metrics import get_metrics

bp = Blueprint("vote", __name__)
log = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@bp.get("/")
def index() -> str:
    """Render the page where a voter picks an option."""
    config = current_app.config["VOTE"]
    return render_template(
        "index.html",
        options=config.options,
        chosen=session.get("choice"),
        csrf_token=_csrf_token(),
        result_url=config.result_url,
    )


@bp.post("/vote")
def vote() -> Any:
    """Accept one vote from JSON or from the page's plain form."""
    if request.mimetype in FORM_TYPES:
        return _vote_from_form()

    raw = request.get_data()
    if not raw.strip():
        return json_error(400, "Invalid vote data")
    try:
        body = json.loads(raw)
    except ValueError:
        return json_error(400, "Malformed JSON body")
    if not isinstance(body, dict):
        return json_error(400, "Invalid vote data: expected a JSON object")
    if "vote" not in body:
        return json_error(400, "Invalid vote data")

    choice, problem = _normalise_choice(body["vote"])
    if problem:
        return json_error(400, problem)
    if not _enqueue(choice):
        return json_error(503, "Vote queue unavailable, please try again shortly")
    return jsonify(
        status="success", vote=choice, message=f"Thank you for voting for {choice}!"
    )


def _vote_from_form() -> Any:
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf_token", "")
    if not expected or not secrets.compare_digest(sent, expected):
        return json_error(400, "Missing or invalid form token; reload the page")

    choice, problem = _normalise_choice(request.form.get("vote"))
    if problem:
        return json_error(400, problem)
    if not _enqueue(choice):
        return json_error(503, "Vote queue unavailable, please try again shortly")
    return redirect(url_for("vote.index"), code=303)


def _normalise_choice(raw: object) -> tuple[str, str | None]:
    """Return the configured option a raw value names, or a problem to report."""
    options = current_app.config["VOTE"].options
    if raw is None:
        return "", "Invalid vote data"
    if not isinstance(raw, str):
        return "", "Invalid vote data: vote must be a string"
    choice = raw.strip().lower()
    if choice not in options:
        return "", f"Invalid choice. Must be {' or '.join(options)}"
    return choice, None


def _enqueue(choice: str) -> bool:
    """Publish the vote; remember it for this voter once the broker holds it."""
    voter_id = session.get("voter_id") or secrets.token_urlsafe(16)
    vote = cast_vote(voter_id, choice, g.request_id)
    try:
        get_queue().submit(vote)
    except QueueUnavailableError as error:
        log.warning(
            "vote refused: queue unavailable",
            extra={"error": str(error), "request_id": g.request_id},
        )
        return False

    session["voter_id"] = voter_id
    session["choice"] = choice
    get_metrics().votes.labels(choice).inc()
    log.info(
        "vote accepted",
        extra={
            "vote_id": vote.vote_id,
            "voter_id": voter_id,
            "choice": choice,
            "request_id": g.request_id,
        },
    )
    return True


def _csrf_token() -> str:
    token = session.get("csrf_token")
    if not token:
        token = session["csrf_token"] = secrets.token_urlsafe(24)
    return token


@bp.get("/health")
def health() -> tuple[Response, int]:
    """Report whether votes can be accepted right now (Redis reachable)."""
    reachable = get_queue().is_reachable()
    status = "healthy" if reachable else "unhealthy"
    get_metrics().health_checks.labels(status).inc()
    body = jsonify(
        status=status,
        service="vote",
        redis="connected" if reachable else "disconnected",
        timestamp=datetime.now(UTC).isoformat(),
    )
    return body, 200 if reachable else 503


@bp.get("/livez")
def liveness() -> Response:
    """Report that the process serves HTTP, without touching Redis."""
    return jsonify(status="alive", service="vote")
