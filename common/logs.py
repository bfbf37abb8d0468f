"""JSON-lines logging with the same field names in every component.

Records are made without the caller's file, thread or process: no line
carries them, and looking them up costs a noticeable share of a vote.
orjson writes the lines, at half the cost of the standard encoder.
"""

import logging
import sys
from typing import Any

from pythonjsonlogger.orjson import OrjsonFormatter


def _formatter_options(service: str) -> dict[str, Any]:
    return {
        "fmt": "{levelname}{name}{message}",
        "style": "{",
        "rename_fields": {"levelname": "level", "name": "logger"},
        "static_fields": {"service": service},
        "timestamp": True,
    }


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every log record to stdout as one JSON object per line."""
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(OrjsonFormatter(**_formatter_options(service)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def gunicorn_logconfig(service: str) -> dict[str, Any]:
    """Return a ``logconfig_dict`` that makes gunicorn's own lines JSON too.

    Its error log stops propagating, to avoid double lines; access lines
    are left to the apps (see ``common.gunicorn_logger``).
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "loggers": {
            "gunicorn.error": {
                "level": "INFO",
                "handlers": ["error_console"],
                "propagate": False,
            },
        },
        "formatters": {
            "generic": {
                "()": "pythonjsonlogger.orjson.OrjsonFormatter",
                **_formatter_options(service),
            }
        },
    }
