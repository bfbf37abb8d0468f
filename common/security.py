"""Security headers that both web apps send on every response."""

from flask import Flask, Response


def init_app(app: Flask, content_security_policy: str) -> None:
    """Forbid inline scripts, framing and content sniffing on every response."""

    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.after_request(add_headers)
