"""gunicorn settings for result_web: one gevent worker per instance.

Socket.IO keeps per-client state in the process, so an instance runs a single
worker and scales out as more instances behind a sticky load balancer. The
stdlib is patched here, before anything else loads, so nothing in the master
or the worker holds an unpatched lock or socket.
"""

from gevent import monkey

monkey.patch_all()

from common.logs import gunicorn_logconfig  # noqa: E402
from result_web.config import load_config  # noqa: E402

_config = load_config()

bind = f"{_config.host}:{_config.port}"
workers = 1
worker_class = "gevent"
worker_connections = 10_000
keepalive = 5
graceful_timeout = 10
errorlog = "-"
logger_class = "common.gunicorn_logger.AppLogsRequests"
logconfig_dict = gunicorn_logconfig("result")
control_socket_disable = True
