"""gunicorn settings for vote_web, taken from its environment settings.

Threaded workers let one process wait on Redis for several requests at once.
The metric files of a worker that exits are marked dead so gauges stay right.
"""

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
logconfig_dict = gunicorn_logconfig("vote")
control_socket_disable = True


def child_exit(server: Any, worker: Any) -> None:
    """Drop the metric files of a worker that is gone."""
    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)
