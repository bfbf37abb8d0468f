"""Steady vote load from a few threads, remembering the fate of every vote.

Each vote carries an ``X-Request-ID`` of its own; vote_web stores it with
the vote, so the drill can later find every accepted vote in the database.
About half the votes come from returning voters (a session that kept its
cookie), so the rule "the latest vote of a voter counts" is exercised.
A voter whose vote failed is not used again: whether that vote reached the
broker is unknown, and a later vote would make the expected tally ambiguous.
"""

import itertools
import random
import threading
import time
import uuid
from dataclasses import dataclass

import requests

OPTIONS = ("cats", "dogs")
RETURNING_SHARE = 0.5
POOL_SIZE = 20
PAUSE_SECONDS = 0.05
FAILURE_PAUSE_SECONDS = 0.2
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Attempt:
    """One POST /vote: which voter sent it, in what order, and the answer."""

    request_id: str
    voter: int
    sequence: int
    choice: str
    accepted: bool
    answered_at: float


class VoteLoad:
    """Cast votes from ``threads`` threads until stopped."""

    def __init__(self, vote_url: str, threads: int = 4, seed: int = 0) -> None:
        self.url = f"{vote_url}/vote"
        self.threads = [
            threading.Thread(target=self._run, args=(seed + n,), daemon=True)
            for n in range(threads)
        ]
        self.attempts: list[Attempt] = []
        self._stop = threading.Event()
        self._sequence = itertools.count()
        self._voters = itertools.count()

    def start(self) -> "VoteLoad":
        """Start every thread."""
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> list[Attempt]:
        """Stop casting, wait for votes in flight, and return every attempt."""
        self._stop.set()
        for thread in self.threads:
            thread.join(TIMEOUT_SECONDS + 5)
        return list(self.attempts)

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        returning: list[tuple[int, requests.Session]] = []
        while not self._stop.is_set():
            if returning and rng.random() < RETURNING_SHARE:
                voter = rng.choice(returning)
            else:
                voter = (next(self._voters), requests.Session())
            accepted = self._cast(voter, rng.choice(OPTIONS))
            if accepted and voter not in returning:
                returning = [*returning, voter][-POOL_SIZE:]
            elif not accepted and voter in returning:
                returning.remove(voter)
            self._stop.wait(PAUSE_SECONDS if accepted else FAILURE_PAUSE_SECONDS)

    def _cast(self, voter: tuple[int, requests.Session], choice: str) -> bool:
        request_id = uuid.uuid4().hex
        sequence = next(self._sequence)
        try:
            response = voter[1].post(
                self.url,
                json={"vote": choice},
                headers={"X-Request-ID": request_id},
                timeout=TIMEOUT_SECONDS,
            )
            accepted = response.status_code == 200
        except requests.RequestException:
            accepted = False
        self.attempts.append(
            Attempt(request_id, voter[0], sequence, choice, accepted, time.monotonic())
        )
        return accepted
