"""Prometheus metrics of one result_web instance (one process per instance)."""

from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
)


@dataclass(frozen=True)
class ResultMetrics:
    """The metrics result_web updates."""

    registry: CollectorRegistry
    http_requests: Counter
    health_checks: Counter
    database_queries: Counter
    clients_connected: Gauge


def init_app(app: Flask) -> None:
    """Create the metrics, count every request, and expose ``/metrics``."""
    registry = CollectorRegistry()
    app.extensions["result_metrics"] = ResultMetrics(
        registry=registry,
        http_requests=Counter(
            "http_requests_total",
            "HTTP requests answered.",
            ["method", "route", "status"],
            registry=registry,
        ),
        health_checks=Counter(
            "health_checks_total",
            "Health checks answered.",
            ["status"],
            registry=registry,
        ),
        database_queries=Counter(
            "database_queries_total",
            "Tally reads, by outcome.",
            ["status"],
            registry=registry,
        ),
        clients_connected=Gauge(
            "websocket_clients_connected",
            "Socket.IO clients connected to this instance.",
            registry=registry,
        ),
    )
    app.after_request(_count_request)
    app.add_url_rule("/metrics", "metrics", _serve_metrics)


def get_metrics() -> ResultMetrics:
    """Return the current app's metrics."""
    return current_app.extensions["result_metrics"]


def _count_request(response: Response) -> Response:
    route = request.url_rule.rule if request.url_rule else "unmatched"
    get_metrics().http_requests.labels(
        request.method, route, str(response.status_code)
    ).inc()
    return response


def _serve_metrics() -> Response:
    body = generate_latest(get_metrics().registry)
    return Response(body, content_type=CONTENT_TYPE_LATEST)
