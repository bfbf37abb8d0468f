"""The results document that result_web serves and the worker pushes."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from common.schema import AnySession, Tally


def read_results(session: AnySession, options: Sequence[str]) -> dict[str, Any]:
    """Return each option's count, the total and the time of reading.

    Options without a tally row yet count zero; tallies of options that are
    no longer configured are left out, so the total matches what is shown.
    """
    rows = session.execute(select(Tally.choice, Tally.votes)).all()
    counts = {choice: int(votes) for choice, votes in rows}
    results: dict[str, Any] = {option: counts.get(option, 0) for option in options}
    results["total"] = sum(results[option] for option in options)
    results["options"] = list(options)
    results["updated_at"] = datetime.now(UTC).isoformat()
    return results
