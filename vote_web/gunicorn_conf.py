"""gunicorn settings for vote_web, taken from its environment settings.

gevent workers let one process wait on Redis for many requests at once, so
the votes of those requests share one broker message. gunicorn patches the
standard library in each worker before the app loads.
The metric files of a worker that exits are marked dead so gauges stay right.
"""

import gc
from typing import Any

from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

from common.logs import gunicorn_logconfig
from vote_web.config import load_config

_config = load_config()

bind = f"{_config.host}:{_config.port}"
workers = _config.workers
worker_class = _config.worker_class
threads = _config.threads
keepalive = 5
graceful_timeout = 20
errorlog = "-"
logger_class = "common.gunicorn_logger.AppLogsRequests"
logconfig_dict = gunicorn_logconfig("vote")
control_socket_disable = True


def child_exit(server: Any, worker: Any) -> None:
    """Drop the metric files of a worker that is gone."""
    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)


def post_worker_init(worker: Any) -> None:
    """Exempt the loaded app from garbage collection.

    The app, Flask, Celery and kombu are tens of thousands of objects that
    live as long as the worker; every full collection would walk them all
    again. Freezing them shortens those pauses, which shows in the p99.
    """
    gc.freeze()
