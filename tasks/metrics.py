"""Prometheus metrics of the worker, shared across prefork children.

``PROMETHEUS_MULTIPROC_DIR`` must be set before this module is imported;
``python -m tasks`` does that and wipes the directory at each start. Only
pool processes write these; the main process has its own health counter.
"""

from prometheus_client import Counter, Histogram

votes_processed = Counter(
    "votes_processed_total", "Votes recorded for the first time.", ["choice"]
)
votes_dead_lettered = Counter(
    "votes_dead_lettered_total", "Vote messages that can never be recorded."
)
redis_errors = Counter("redis_errors_total", "Failed Redis operations.")
database_errors = Counter("database_errors_total", "Failed database transactions.")
vote_process_duration = Histogram(
    "vote_process_duration_seconds",
    "Time to record one message of votes.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
