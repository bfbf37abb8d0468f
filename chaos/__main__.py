"""Fault drills: prove that no accepted vote is lost or counted twice.

``python -m chaos`` (``make chaos``) starts a stack of its own and, under
steady vote load, kills the worker with SIGKILL, restarts Redis, stops
MySQL for 60 s, restarts result_web under connected clients and starts
everything in a random order from no schema. Each drill ends with the same
check of every accepted vote against the database; a table sums them up.
``--short`` shortens the load and the MySQL outage, as CI runs it.
"""

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

from chaos.cold_start import RandomStart
from chaos.drill import Drill
from chaos.drills import MysqlOutage, RedisRestart, ResultRestart, WorkerKill
from chaos.report import format_table
from chaos.runner import FULL, SHORT, DrillResult, Timing, run_drill, say
from chaos.system import System, make_system


def drills(timing: Timing, seed: int) -> list[Drill]:
    """Return every drill, in the order they run."""
    return [
        WorkerKill(),
        RedisRestart(),
        MysqlOutage(timing.mysql_outage),
        ResultRestart(),
        RandomStart(seed),
    ]


KEYS = [drill.key for drill in drills(FULL, 0)]


def run_all(
    system: System, timing: Timing, selected: list[Drill]
) -> list[DrillResult] | None:
    """Bring the stack up, run the drills, and always bring it down."""
    try:
        if system.stack("up") != 0:
            return None
        return [run_drill(system, drill, timing) for drill in selected]
    finally:
        say("stopping the drills' stack")
        system.stack("down")


def main() -> int:
    """Parse the command line, run the drills, print the table."""
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__)
    parser.add_argument(
        "--short", action="store_true", help="brief load, 10 s MySQL outage (CI)"
    )
    parser.add_argument(
        "--drill",
        action="append",
        choices=KEYS,
        help="run this drill (repeatable; default: all)",
    )
    parser.add_argument("--seed", type=int, help="order of the random start")
    parser.add_argument(
        "--keep", action="store_true", help="keep the run directory and its logs"
    )
    args = parser.parse_args()
    seed = random.randrange(10_000) if args.seed is None else args.seed
    timing = SHORT if args.short else FULL
    every = {drill.key: drill for drill in drills(timing, seed)}
    selected = [every[key] for key in args.drill or KEYS]

    run_dir = Path(tempfile.mkdtemp(prefix="voting-chaos-"))
    say(f"starting a stack of its own under {run_dir}")
    results = run_all(make_system(run_dir), timing, selected)
    if results is None:
        print(f"error: the stack did not come up; see {run_dir / 'logs'}")
        return 1

    print()
    print(format_table(results))
    for result in results:
        for problem in result.problems:
            print(f"{result.name}: {problem}")
    passed = all(result.passed for result in results)
    if passed and not args.keep:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        print(f"\nLogs: {run_dir / 'logs'}")
    print("\nAll drills passed." if passed else "\nSome drills FAILED.")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
