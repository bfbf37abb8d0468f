"""WSGI entry point for gunicorn's gevent worker: ``result_web.wsgi:app``."""

from gevent import monkey

monkey.patch_all()

from common.logs import configure_logging  # noqa: E402
from result_web.app import create_app  # noqa: E402

configure_logging("result")
app = create_app(async_mode="gevent")
