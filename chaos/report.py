"""The final table: one row per drill, the figures a reader checks first."""

from collections.abc import Sequence

from chaos.runner import DrillResult

HEADER = (
    "DRILL",
    "VOTES ACCEPTED",
    "VOTES COUNTED",
    "LOST",
    "DUPLICATED",
    "TIME TO RECOVER",
)


def format_table(results: Sequence[DrillResult]) -> str:
    """Return the drills' figures as an aligned plain-text table."""
    rows = [HEADER, *(_row(result) for result in results)]
    widths = [max(len(row[n]) for row in rows) for n in range(len(HEADER))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if n == 0 else cell.rjust(width)
            for n, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )


def _row(result: DrillResult) -> tuple[str, ...]:
    audit, seconds = result.audit, result.recovery_seconds
    return (
        result.name,
        str(audit.accepted),
        str(audit.counted),
        str(audit.lost),
        str(audit.duplicated),
        "not recovered" if seconds is None else f"{seconds:.1f} s",
    )
