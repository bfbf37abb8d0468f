"""Share one broker message among votes that arrive together (group commit).

One publisher thread per process sends, as a single message, every vote that
arrived while its previous publish was in flight. At low load a group holds
one vote and adds no delay; under load groups grow, so the per-message cost
of the broker and of the worker is shared by many votes. Each request still
returns only after the message carrying its vote is in Redis.
"""

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from common.votes import CastVote

MAX_GROUP = 500
WAIT_SECONDS = 30


class PublishTimeoutError(RuntimeError):
    """The publisher did not report back in time; the vote may not be queued."""


@dataclass
class _Ticket:
    vote: CastVote
    done: threading.Event = field(default_factory=threading.Event)
    error: Exception | None = None


class VoteBatcher:
    """Queue votes for the publisher thread and wait for their message to land."""

    def __init__(self, publish: Callable[[list[CastVote]], None]) -> None:
        self._publish = publish
        self._condition = threading.Condition()
        self._pending: list[_Ticket] = []
        self._owner_pid: int | None = None

    def submit(self, vote: CastVote) -> None:
        """Return once the vote is in the broker; raise what publishing raised."""
        ticket = _Ticket(vote)
        with self._condition:
            self._start_publisher_once()
            self._pending.append(ticket)
            self._condition.notify()
        if not ticket.done.wait(WAIT_SECONDS):
            raise PublishTimeoutError("no answer from the vote publisher")
        if ticket.error is not None:
            raise ticket.error

    def _start_publisher_once(self) -> None:
        """Start the thread in this process (gunicorn forks after import)."""
        if self._owner_pid == os.getpid():
            return
        self._owner_pid = os.getpid()
        self._pending = []
        thread = threading.Thread(target=self._run, name="vote-publisher", daemon=True)
        thread.start()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._pending:
                    self._condition.wait()
                group = self._pending[:MAX_GROUP]
                del self._pending[:MAX_GROUP]

            error: Exception | None = None
            try:
                self._publish([ticket.vote for ticket in group])
            except Exception as failure:  # noqa: BLE001  (handed to each waiting request)
                error = failure
            for ticket in group:
                ticket.error = error
                ticket.done.set()
