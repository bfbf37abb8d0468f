"""Start the Celery worker: ``python -m tasks [extra celery worker options]``.

Settings are checked before Celery starts, so a bad value stops the worker
with one line, and the shared metrics directory is wiped so that counters
from a previous run do not leak into this one.
"""

import os
import sys

from common.env import load_or_exit
from common.launch import fresh_metrics_dir
from tasks.config import load_config


def main() -> None:
    """Validate settings, prepare metrics, then become ``celery worker``."""
    config = load_or_exit(load_config)
    fresh_metrics_dir("worker", config.port)

    command = [
        sys.executable, "-m", "celery", "-A", "tasks.worker", "worker",
        "--queues", config.queue,
        "--concurrency", str(config.concurrency),
        "--loglevel", config.log_level,
    ]  # fmt: skip
    if config.task_events:
        command.append("--task-events")
    os.execv(sys.executable, command + sys.argv[1:])


if __name__ == "__main__":
    main()
