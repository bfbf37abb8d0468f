"""Prometheus metrics of vote_web, correct under several gunicorn workers.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``python -m vote_web`` sets it) every
worker writes its samples to that directory and ``/metrics`` sums them;
without it (tests, ``flask run``) each app gets a registry of its own.
"""

import os
from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_flask_exporter import PrometheusMetrics
from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

from common.access import request_seconds


@dataclass(frozen=True)
class VoteMetrics:
    """The metrics views update by hand."""

    votes: Counter
    request_duration: Histogram
    health_checks: Counter


def init_app(app: Flask) -> None:
    """Expose ``/metrics``, create the vote counters, and time every request."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        GunicornInternalPrometheusMetrics(app, group_by="url_rule")
        registry = None
    else:
        registry = CollectorRegistry()
        PrometheusMetrics(app, registry=registry, group_by="url_rule")

    app.extensions["vote_metrics"] = VoteMetrics(
        votes=Counter("votes_total", "Votes accepted.", ["choice"], registry=registry),
        request_duration=Histogram(
            "request_duration_seconds",
            "Time to answer a request.",
            ["endpoint"],
            registry=registry,
        ),
        health_checks=Counter(
            "health_checks_total",
            "Health checks answered.",
            ["status"],
            registry=registry,
        ),
    )
    app.after_request(_observe_duration)


def _observe_duration(response: Response) -> Response:
    get_metrics().request_duration.labels(request.endpoint or "none").observe(
        request_seconds()
    )
    return response


def get_metrics() -> VoteMetrics:
    """Return the current app's metrics."""
    return current_app.extensions["vote_metrics"]
