"""Run one drill: load, fault, recovery, drain, then the zero-loss check."""

import time
from dataclasses import dataclass, field

from chaos.audit import Audit, audit
from chaos.drill import Drill
from chaos.load import VoteLoad
from chaos.system import Backlog, System

#: Under steady load a healthy worker keeps the broker about this short.
CAUGHT_UP_QUEUED = 10
CAUGHT_UP_AGE_SECONDS = 5


@dataclass(frozen=True)
class Timing:
    """How long each phase of a drill lasts, and how long to wait at most."""

    warm_up: float
    after: float
    mysql_outage: float
    recover_timeout: float = 240
    settle_timeout: float = 180


FULL = Timing(warm_up=20, after=15, mysql_outage=60)
SHORT = Timing(warm_up=5, after=3, mysql_outage=10)


@dataclass(frozen=True)
class DrillResult:
    """One row of the final table."""

    name: str
    audit: Audit
    recovery_seconds: float | None
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Return whether nothing was lost or duplicated and all recovered."""
        return (
            self.recovery_seconds is not None
            and not self.audit.lost
            and not self.audit.duplicated
            and not self.problems
        )


def say(message: str) -> None:
    """Print a progress line."""
    print(f"==> {message}", flush=True)


def run_drill(system: System, drill: Drill, timing: Timing) -> DrillResult:
    """Inject the drill's fault under load and check every vote afterwards."""
    say(f"{drill.name}: preparing")
    drill.prepare(system)
    load = VoteLoad(system.vote_url).start()
    try:
        time.sleep(timing.warm_up)  # steady load before the fault
        say(f"{drill.name}: {drill.fault}")
        since = drill.inject(system)
        recovery = wait_recovered(system, drill, since, timing.recover_timeout)
        say(f"{drill.name}: " + _recovery_text(recovery, drill.clock_starts))
        time.sleep(timing.after)  # steady load after recovery
    finally:
        attempts = load.stop()
    accepted = sum(attempt.accepted for attempt in attempts)
    say(f"{drill.name}: {accepted} votes accepted; waiting for the broker to drain")
    drained = system.wait_drained(timing.settle_timeout)
    problems = [] if drained else ["the broker never drained"]
    problems += drill.finish(system)
    result = audit(system, attempts)
    say(
        f"{drill.name}: {result.counted} counted, {result.lost} lost, "
        f"{result.duplicated} duplicated, {result.refused_but_recorded} refused "
        "votes recorded anyway"
    )
    return DrillResult(drill.name, result, recovery, [*problems, *result.problems])


def wait_recovered(
    system: System, drill: Drill, since: float, timeout: float
) -> float | None:
    """Return the seconds from ``since`` until all is healthy and caught up.

    Messages held when the fault struck must be gone too: a dead worker's
    messages come back only after the broker's visibility timeout.
    """
    first = system.backlog()
    held_at_fault = first.held if first else frozenset()
    shown: list[str] = []
    while time.monotonic() < since + timeout:
        now = time.monotonic()
        waiting = system.unhealthy(drill.components)
        if not waiting and not drill.recovered(system):
            waiting = [drill.waiting_for]
        if not waiting and not caught_up(system.backlog(), held_at_fault):
            waiting = ["the broker to catch up"]
        if not waiting:
            return now - since
        if waiting != shown:
            print(f"    waiting for: {', '.join(waiting)}", flush=True)
            shown = waiting
        time.sleep(0.5)
    return None


def caught_up(backlog: Backlog | None, held_at_fault: frozenset[str]) -> bool:
    """Return whether the broker holds only what steady load keeps in it."""
    return (
        backlog is not None
        and backlog.queued <= CAUGHT_UP_QUEUED
        and backlog.oldest_held_seconds < CAUGHT_UP_AGE_SECONDS
        and not backlog.held & held_at_fault
    )


def _recovery_text(seconds: float | None, clock_starts: str) -> str:
    if seconds is None:
        return "did NOT recover"
    return f"healthy and caught up {seconds:.1f} s after {clock_starts}"
