"""Every error as a JSON body: clients never receive an HTML error page."""

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

MESSAGES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def json_error(status: int, message: str) -> tuple[Response, int]:
    """Return a JSON ``{"error": message}`` response with ``status``."""
    return jsonify(error=message), status


def init_app(app: Flask) -> None:
    """Answer HTTP errors and unexpected exceptions with JSON."""

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> tuple[Response, int]:
        status = error.code or 500
        response, _ = json_error(status, MESSAGES.get(status, error.name))
        if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response, status

    @app.errorhandler(InternalServerError)
    def handle_unexpected(error: InternalServerError) -> tuple[Response, int]:
        log.error("unhandled error", exc_info=error.original_exception)
        return json_error(500, "Internal server error")
