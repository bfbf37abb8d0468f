"""Serve result_web with gunicorn and gevent: ``python -m result_web``."""

import os
import sys

from common.env import load_or_exit
from common.logs import configure_logging
from result_web.config import load_config


def main() -> None:
    """Validate settings, then become gunicorn."""
    configure_logging("result")
    load_or_exit(load_config)
    os.execv(
        sys.executable,
        [
            sys.executable, "-m", "gunicorn",
            "--config", "python:result_web.gunicorn_conf",
            *sys.argv[1:],
            "result_web.wsgi:app",
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
