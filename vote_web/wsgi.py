"""WSGI entry point for gunicorn: ``vote_web.wsgi:app``."""

from common.logs import configure_logging
from vote_web import create_app

configure_logging("vote")
app = create_app()
