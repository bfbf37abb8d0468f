"""Serve vote_web with gunicorn: ``python -m vote_web``.

Settings are checked before gunicorn starts, so a bad value stops the
process with one line, and the metrics directory shared by the gunicorn
workers is wiped so that a previous run's counters do not leak in.
"""

from common.env import load_or_exit
from common.launch import become_gunicorn, fresh_metrics_dir
from common.logs import configure_logging
from vote_web.config import load_config


def main() -> None:
    """Validate settings, prepare metrics, then become gunicorn."""
    configure_logging("vote")
    config = load_or_exit(load_config)
    fresh_metrics_dir("vote", config.port)
    become_gunicorn("vote_web.gunicorn_conf", "vote_web.wsgi:app")


if __name__ == "__main__":
    main()
