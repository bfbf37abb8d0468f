"""Health and metrics over HTTP, served from the worker's main process.

A Celery bootstep starts a small threaded HTTP server when the worker starts
and stops it when the worker stops, so orchestrators and Prometheus reach the
worker on ``PORT`` whatever its pool does.

The main process never writes a multiprocess metric: prometheus_client
guards those with one global lock, which a pool child forked at the wrong
moment would inherit held. Health counts live in a collector of their own.
"""

import json
import logging
import os
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from celery import bootsteps
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from tasks.config import WorkerConfig
from tasks.probes import Dependencies, fork_guard
from tasks.resend import Resender

log = logging.getLogger(__name__)


class QueueDepthCollector(Collector):
    """Report the vote queue's length at scrape time."""

    def __init__(self, dependencies: Dependencies) -> None:
        self.dependencies = dependencies

    def collect(self) -> Any:
        """Yield the queue depth gauge, or nothing while Redis is away."""
        depth = self.dependencies.queue_depth()
        if depth is None:
            return
        gauge = GaugeMetricFamily(
            "vote_queue_depth", "Vote messages waiting in the queue.", labels=["queue"]
        )
        gauge.add_metric([self.dependencies.config.queue], depth)
        yield gauge


class HealthCheckCollector(Collector):
    """Count health checks by outcome, in the main process only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = {"healthy": 0, "unhealthy": 0}

    def record(self, status: str) -> None:
        """Count one answered health check."""
        with self._lock:
            self._counts[status] += 1

    def collect(self) -> Any:
        """Yield ``health_checks_total`` by status."""
        family = CounterMetricFamily(
            "health_checks", "Health checks answered.", labels=["status"]
        )
        with self._lock:
            for status, count in self._counts.items():
                family.add_metric([status], count)
        yield family


def metrics_registry() -> CollectorRegistry:
    """Return a registry that sums the metrics of every pool process.

    Without ``PROMETHEUS_MULTIPROC_DIR`` (a worker started by plain
    ``celery worker`` rather than ``python -m tasks``) only this process's
    own metrics can be reported.
    """
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def health_report(
    dependencies: Dependencies, checks: HealthCheckCollector
) -> tuple[int, dict[str, str]]:
    """Check both dependencies and return the HTTP status and JSON body."""
    with fork_guard:
        redis_ok = dependencies.redis_ok()
        database_ok = dependencies.database_ok()
    healthy = redis_ok and database_ok
    status = "healthy" if healthy else "unhealthy"
    checks.record(status)
    body = {
        "status": status,
        "service": "worker",
        "redis": "connected" if redis_ok else "disconnected",
        "database": "connected" if database_ok else "disconnected",
        "timestamp": datetime.now(UTC).isoformat(),
    }
    return (200 if healthy else 503), body


def make_handler(
    dependencies: Dependencies,
    checks: HealthCheckCollector,
    registry: CollectorRegistry,
) -> type[BaseHTTPRequestHandler]:
    """Build the request handler class bound to these dependencies."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/health":
                status, body = health_report(dependencies, checks)
                self._send(status, "application/json", json.dumps(body).encode())
            elif self.path == "/metrics":
                self._send(200, "text/plain; version=0.0.4", generate_latest(registry))
            else:
                self._send(404, "application/json", b'{"error": "Not found"}')

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep probes out of the logs; they arrive every few seconds."""

    return Handler


class MonitorStep(bootsteps.StartStopStep):
    """Run the health/metrics HTTP server for the lifetime of the worker."""

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.server: ThreadingHTTPServer | None = None
        self.stopped = threading.Event()

    def start(self, parent: Any) -> None:
        """Bind ``HOST:PORT`` and serve in a daemon thread."""
        config: WorkerConfig = parent.app.conf.worker_config
        dependencies = Dependencies(config)
        checks = HealthCheckCollector()
        registry = metrics_registry()
        registry.register(QueueDepthCollector(dependencies))
        registry.register(checks)
        self._start_resender(dependencies, registry)

        handler = make_handler(dependencies, checks, registry)
        self.server = ThreadingHTTPServer((config.host, config.port), handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, name="monitor", daemon=True
        ).start()
        log.info(
            "health and metrics listening",
            extra={"host": config.host, "port": config.port},
        )

    def _start_resender(
        self, dependencies: Dependencies, registry: CollectorRegistry
    ) -> None:
        resender = Resender(dependencies)
        registry.register(resender)
        threading.Thread(
            target=resender.run, args=(self.stopped,), name="resender", daemon=True
        ).start()

    def stop(self, parent: Any) -> None:
        """Stop serving and sweeping when the worker shuts down."""
        self.stopped.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
