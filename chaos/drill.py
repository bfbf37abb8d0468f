"""What every drill has: a fault to inject and a way to tell it is over."""

from chaos.system import System


class Drill:
    """A fault injected under steady load; subclasses name and cause it.

    By default a drill starts from empty tables and has recovered once
    vote_web, the worker and result_web are healthy again.
    """

    key = ""
    name = ""
    fault = ""
    clock_starts = "the fault"
    #: Components that must be healthy again; empty means all of them.
    components: tuple[str, ...] = ("vote", "worker", "result")
    waiting_for = ""

    def prepare(self, system: System) -> None:
        """Start from empty tables."""
        system.empty_tables()

    def inject(self, system: System) -> float:
        """Cause the fault; return when the recovery clock starts (monotonic)."""
        raise NotImplementedError

    def recovered(self, system: System) -> bool:
        """Return whether the drill's own sign of recovery is there."""
        return True

    def finish(self, system: System) -> list[str]:
        """Check what the drill checks after the load; return any problems."""
        return []
