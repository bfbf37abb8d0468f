"""``python -m chaos --short``: the fault drills, as CI runs them.

Each drill breaks the running system under vote load; the run must report
every drill with nothing lost, nothing counted twice, and a recovery time.
"""

import re
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

DRILLS = 5


def table_rows(output: str) -> list[dict[str, str]]:
    """Return the rows of the table the run printed, keyed by column title."""
    lines = output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("DRILL "))
    header = re.split(r"\s{2,}", lines[start].strip())
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append(dict(zip(header, re.split(r"\s{2,}", line.strip()), strict=True)))
    return rows


@pytest.mark.timeout(900)
def test_short_drills_lose_no_vote_count_none_twice_and_recover() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "chaos", "--short"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=840,
    )
    report = run.stdout[-4000:] + run.stderr[-2000:]

    rows = table_rows(run.stdout)
    assert len(rows) == DRILLS, report
    for row in rows:
        assert int(row["VOTES ACCEPTED"]) > 0, report
        assert row["VOTES COUNTED"] == row["VOTES ACCEPTED"], report
        assert row["LOST"] == "0", report
        assert row["DUPLICATED"] == "0", report
        assert row["TIME TO RECOVER"].endswith(" s"), report
    assert run.returncode == 0, report
