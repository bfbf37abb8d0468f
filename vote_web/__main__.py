"""Serve vote_web with gunicorn: ``python -m vote_web``.

Settings are checked before gunicorn starts, so a bad value stops the
process with one line, and the metrics directory shared by the gunicorn
workers is wiped so that a previous run's counters do not leak in.
"""

import os
import shutil
import sys
import tempfile

from common.env import load_or_exit
from common.logs import configure_logging
from vote_web.config import load_config


def main() -> None:
    """Validate settings, prepare metrics, then become gunicorn."""
    configure_logging("vote")
    config = load_or_exit(load_config)
    metrics_dir = os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR",
        os.path.join(tempfile.gettempdir(), f"voting-vote-metrics-{config.port}"),
    )
    shutil.rmtree(metrics_dir, ignore_errors=True)
    os.makedirs(metrics_dir)
    os.execv(
        sys.executable,
        [
            sys.executable, "-m", "gunicorn",
            "--config", "python:vote_web.gunicorn_conf",
            *sys.argv[1:],
            "vote_web.wsgi:app",
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
