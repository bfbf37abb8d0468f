"""Security headers that both web apps send on every response."""

from flask import Flask, Response


def init_app(app: Flask, content_security_policy: str) -> None:
    """Forbid inline scripts, framing and content sniffing on every response.

    No view sets these headers itself, so they are appended in one step
    rather than checked one by one: on the vote path that check cost more
    than building the JSON answer.
    """
    security_headers = [
        ("Content-Security-Policy", content_security_policy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ]

    def add_headers(response: Response) -> Response:
        response.headers.extend(security_headers)
        return response

    app.after_request(add_headers)
