"""Serve result_web with gunicorn and gevent: ``python -m result_web``."""

from common.env import load_or_exit
from common.launch import become_gunicorn
from common.logs import configure_logging
from result_web.config import load_config


def main() -> None:
    """Validate settings, then become gunicorn."""
    configure_logging("result")
    load_or_exit(load_config)
    become_gunicorn("result_web.gunicorn_conf", "result_web.wsgi:app")


if __name__ == "__main__":
    main()
