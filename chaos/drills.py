"""The drills that break one component while the rest keep running."""

import os
import signal
import time

from chaos.drill import Drill
from chaos.listeners import Listener
from chaos.system import System, wait_until

LISTENERS = 5
RESYNC_TIMEOUT_SECONDS = 30
HOLD_TIMEOUT_SECONDS = 10
KILL_ATTEMPTS = 3


class WorkerKill(Drill):
    """SIGKILL the worker's main process and its pool: no goodbye, no ack."""

    key = "worker-kill"
    name = "worker kill -9"
    fault = "kill -9 the worker and its pool processes while they hold votes"

    def inject(self, system: System) -> float:
        """Kill the whole worker mid-work; supervisord starts a new one.

        Each kill waits for a message the worker holds unacknowledged, but
        the worker may finish it first; then the next worker is killed too,
        so that the drill proves that held votes come back.
        """
        for _ in range(KILL_ATTEMPTS):
            group = system.process_group("worker")
            system.wait_until_held(HOLD_TIMEOUT_SECONDS)
            since = time.monotonic()
            os.killpg(group, signal.SIGKILL)
            held = system.held_messages()  # nobody else can ack them now
            print(f"    the killed worker held {held} messages", flush=True)
            if held:
                break
            wait_until(lambda: not system.unhealthy(("worker",)), 120)
        return since


class RedisRestart(Drill):
    """Restart the broker; queued votes live on in its append-only file."""

    key = "redis-restart"
    name = "redis restart"
    fault = "restart Redis (append-only file on)"

    def inject(self, system: System) -> float:
        """Stop Redis and start it again."""
        since = time.monotonic()
        system.ctl("restart", "redis")
        return since


class MysqlOutage(Drill):
    """Stop MySQL for a while; the worker keeps the votes until it is back."""

    key = "mysql-outage"
    clock_starts = "MySQL came back"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.name = f"mysql stopped {seconds:.0f} s"
        self.fault = f"stop MySQL for {seconds:.0f} s, then start it"

    def inject(self, system: System) -> float:
        """Stop MySQL, wait, start it; the clock starts at the restart."""
        stopped = time.monotonic()
        system.ctl("stop", "mysql")
        time.sleep(max(0.0, stopped + self.seconds - time.monotonic()))
        since = time.monotonic()
        system.ctl("start", "mysql")
        return since


class ResultRestart(Drill):
    """Restart result_web with live clients, which must come back by themselves."""

    key = "result-restart"
    name = "result_web restart"
    fault = f"restart result_web with {LISTENERS} Socket.IO clients connected"
    waiting_for = "Socket.IO clients to reconnect and resynchronise"

    def __init__(self) -> None:
        self.listeners: list[Listener] = []

    def prepare(self, system: System) -> None:
        """Empty the tables and connect the clients."""
        super().prepare(system)
        self.listeners = [
            Listener(system.result_url).connect() for _ in range(LISTENERS)
        ]

    def inject(self, system: System) -> float:
        """Restart result_web."""
        since = time.monotonic()
        system.ctl("restart", "result")
        return since

    def recovered(self, system: System) -> bool:
        """Return whether every client reconnected and got fresh results."""
        return all(listener.resynchronised() for listener in self.listeners)

    def finish(self, system: System) -> list[str]:
        """Check that every client ends up showing the final tallies."""
        tallies = system.tallies()
        deadline = time.monotonic() + RESYNC_TIMEOUT_SECONDS
        behind = self.listeners
        while behind and time.monotonic() < deadline:
            behind = [each for each in self.listeners if not each.shows(tallies)]
            time.sleep(0.25)
        for listener in self.listeners:
            listener.close()
        if behind:
            return [f"{len(behind)} clients never showed the final tallies {tallies}"]
        return []
