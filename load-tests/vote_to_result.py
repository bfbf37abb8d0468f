"""Measure how long a vote takes to show in result_web's ``/api/results``.

Run against a running system (``make up``)::

    .venv/bin/python load-tests/vote_to_result.py --votes 50

Each vote is cast with a JSON POST and the results API is polled every
10 ms until the total moves; the script prints p50/p95/max of that delay.
"""

import argparse
import statistics
import sys
import time

import requests


def measure_one(session: requests.Session, vote_url: str, results_url: str) -> float:
    """Cast one vote and return the seconds until the results count it."""
    before = session.get(results_url, timeout=5).json()["total"]
    started = time.perf_counter()
    answer = session.post(vote_url, json={"vote": "cats"}, timeout=5)
    answer.raise_for_status()
    while time.perf_counter() - started < 30:
        if session.get(results_url, timeout=5).json()["total"] > before:
            return time.perf_counter() - started
        time.sleep(0.01)
    raise TimeoutError("the vote did not show within 30 s")


def main() -> int:
    """Parse arguments, measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vote-url", default="http://localhost:5000")
    parser.add_argument("--result-url", default="http://localhost:3000")
    parser.add_argument("--votes", type=int, default=20)
    args = parser.parse_args()

    results_url = f"{args.result_url}/api/results"
    delays = []
    for _ in range(args.votes):
        # A fresh session per vote: no cookie, so each vote is a new voter.
        with requests.Session() as session:
            delays.append(measure_one(session, f"{args.vote_url}/vote", results_url))

    delays.sort()
    p95 = delays[max(0, round(0.95 * len(delays)) - 1)]
    print(f"votes measured: {len(delays)}")
    print(f"vote -> /api/results  p50 {statistics.median(delays) * 1000:.0f} ms")
    print(f"vote -> /api/results  p95 {p95 * 1000:.0f} ms")
    print(f"vote -> /api/results  max {delays[-1] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
