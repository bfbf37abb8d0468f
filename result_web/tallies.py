"""Read the tallies, falling back to the last known results while MySQL is away."""

import logging
import threading
from typing import Any

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from common.results import read_results
from result_web.db import db
from result_web.metrics import get_metrics

log = logging.getLogger(__name__)


class TallyReader:
    """Remember the last results read, to serve them marked stale on failure."""

    def __init__(self, options: tuple[str, ...]) -> None:
        self.options = options
        self._lock = threading.Lock()
        self._last: dict[str, Any] = {
            **{option: 0 for option in options},
            "total": 0,
            "options": list(options),
            "updated_at": None,
        }
        self._database_ok = False

    @property
    def database_ok(self) -> bool:
        """Return whether the last read succeeded."""
        return self._database_ok

    def read(self) -> dict[str, Any]:
        """Return fresh results, or the last known ones with ``stale`` set."""
        metrics = get_metrics()
        try:
            results = read_results(db.session, self.options)
        except SQLAlchemyError as error:
            db.session.rollback()
            metrics.database_queries.labels("error").inc()
            if self._database_ok:
                log.warning("database read failed", extra={"error": str(error)})
            self._database_ok = False
            with self._lock:
                return {**self._last, "stale": True}
        finally:
            db.session.remove()

        metrics.database_queries.labels("ok").inc()
        self._database_ok = True
        with self._lock:
            self._last = results
        return {**results, "stale": False}


def init_app(app: Flask) -> None:
    """Attach a tally reader for the configured options."""
    app.extensions["tally_reader"] = TallyReader(app.config["RESULT"].options)


def get_reader() -> TallyReader:
    """Return the current app's tally reader."""
    return current_app.extensions["tally_reader"]
