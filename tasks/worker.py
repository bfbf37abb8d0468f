"""Entry module for ``celery -A tasks.worker worker`` (and Flower)."""

import logging
from typing import Any

from celery.signals import setup_logging, worker_process_init, worker_ready

from common.logs import configure_logging
from tasks.app import create_app
from tasks.db import db

flask_app = create_app()
celery_app = flask_app.extensions["celery"]


@setup_logging.connect
def use_json_logs(**_: Any) -> None:
    """Replace Celery's log format with the project's JSON lines.

    Celery's own per-task lines repeat the whole payload (hundreds of votes);
    ``record_vote`` logs one line per message with the ids instead.
    """
    configure_logging("worker", flask_app.config["WORKER"].log_level)
    for name in ("celery.worker.strategy", "celery.app.trace"):
        logging.getLogger(name).setLevel(logging.WARNING)


@worker_process_init.connect
def forget_parent_connections(**_: Any) -> None:
    """Drop pooled connections a forked child inherited from its parent."""
    with flask_app.app_context():
        db.engine.dispose(close=False)


@worker_ready.connect
def announce(**_: Any) -> None:
    """Log the effective configuration once, without secrets."""
    config = flask_app.config["WORKER"]
    logging.getLogger("tasks").info(
        "worker ready",
        extra={
            "broker": config.redis.display,
            "database": config.mysql.display,
            "queue": config.queue,
            "concurrency": config.concurrency,
            "task_events": config.task_events,
        },
    )
