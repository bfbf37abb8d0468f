"""Build the worker: a small Flask app that Celery is made from.

As in Flask's own Celery guide, every task runs inside an app context, so
Flask-SQLAlchemy is ready in it.
"""

from typing import Any

import redis
from celery import Celery, Task
from flask import Flask

from common.results import read_results
from tasks.config import WorkerConfig, load_config
from tasks.db import db
from tasks.live import ResultsPublisher
from tasks.monitor import MonitorStep


def create_app(config: WorkerConfig | None = None) -> Flask:
    """Build the Flask app that hosts the worker's database and Celery.

    Transactions read committed data: a locking read of voters not stored
    yet would otherwise lock the gaps between keys too, and two workers
    inserting new voters side by side would deadlock on them.
    """
    config = config or load_config()
    app = Flask(__name__)
    database = config.mysql.flask_sqlalchemy_config(connect_timeout=5)
    database["SQLALCHEMY_ENGINE_OPTIONS"]["isolation_level"] = "READ COMMITTED"
    app.config.update(WORKER=config, **database, CELERY=celery_settings(config))
    db.init_app(app)
    celery_app = celery_init_app(app)
    celery_app.conf.worker_config = config
    celery_app.steps["worker"].add(MonitorStep)
    app.extensions["redis"] = redis.Redis.from_url(
        config.redis.url, socket_timeout=5, socket_connect_timeout=5
    )
    app.extensions["results_publisher"] = ResultsPublisher(
        config.redis.url, config.channel, lambda: _current_results(app)
    )
    import tasks.record  # noqa: F401  (registers the task)

    return app


def _current_results(app: Flask) -> dict[str, Any]:
    with app.app_context():
        return read_results(db.session, app.config["WORKER"].options)


def celery_settings(config: WorkerConfig) -> dict[str, Any]:
    """Return Celery settings that make delivery at-least-once.

    Late acknowledgement plus reject-on-worker-lost brings back the task of a
    killed child; the short visibility timeout and restore sweep bring back
    the unacknowledged tasks of a whole worker that died, within a minute.
    The write is idempotent, so a redelivered vote changes nothing. The
    consumer reconnects after any loss of Redis (see ``tasks.consumer``).
    """
    return {
        "broker_url": config.redis.url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "visibility_timeout": 45,
            "unacked_restore_interval": 5,
            "unacked_restore_throttle": 1,
        },
        "task_default_queue": config.queue,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_ignore_result": True,
        "worker_prefetch_multiplier": 4,
        "worker_send_task_events": config.task_events,
        "worker_hijack_root_logger": False,
        "worker_consumer": "tasks.consumer:ReconnectingConsumer",
        "accept_content": ["json"],
        "task_serializer": "json",
    }


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app whose tasks run inside ``app``'s context."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
