"""Flask's signed-cookie sessions, with the signer built once per key.

Flask builds a new serializer for every request that reads or writes the
session; every vote does both. The serializer holds no per-request state,
so one per set of keys serves all requests. ``VOTER_COOKIE`` holds the
cookie's settings, shared with the benchmark's contract floor.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

VOTER_COOKIE = {
    "SESSION_COOKIE_NAME": "voter",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
}


class ReusedSignerSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions that reuse their serializer while the keys stay."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the serializer for the app's current keys, built on first use."""
        if not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]
