"""Start every component in a random order, the databases last, from no schema.

Nobody runs ``make up`` again: the components must wait for what they need
on their own, and the stack's MariaDB applies ``init.sql`` when it starts.
Until then the results page must show zeros, not an error.
"""

import random
import time

import requests

from chaos.drill import Drill
from chaos.load import OPTIONS
from chaos.system import DATABASES, System

PAGE_TIMEOUT_SECONDS = 30


class RandomStart(Drill):
    """Stop everything, drop the database, start all again in a random order."""

    key = "random-start"
    name = "random start order"
    clock_starts = "the last database started"
    components = ()

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fault = f"start all in a random order (seed {seed}), databases last"
        self.problems: list[str] = []

    def prepare(self, system: System) -> None:
        """Stop every program and drop the database, schema and all."""
        apps = [name for name in system.programs() if name not in DATABASES]
        system.ctl("stop", *apps)
        system.drop_database()
        system.ctl("stop", *DATABASES)

    def inject(self, system: System) -> float:
        """Start the programs one by one, checking the results page between."""
        apps = [name for name in system.programs() if name not in DATABASES]
        databases = list(DATABASES)
        self.rng.shuffle(apps)
        self.rng.shuffle(databases)
        order = [*apps, *databases]
        print(f"    order: {', '.join(order)}", flush=True)
        since = time.monotonic()
        for position, program in enumerate(order):
            since = time.monotonic()
            answer = system.ctl("start", program)
            if not answer.endswith("started"):
                print(f"    {answer}", flush=True)
            if "result" in order[: position + 1] and program != order[-1]:
                self._check_results_page(system)
            time.sleep(self.rng.uniform(0.5, 2))
        return since

    def finish(self, system: System) -> list[str]:
        """Report what the results page showed before the databases were up."""
        return self.problems

    def _check_results_page(self, system: System) -> None:
        """Expect the page and zero results while no schema exists."""
        zeros = {**dict.fromkeys(OPTIONS, 0), "total": 0}
        deadline = time.monotonic() + PAGE_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                page = requests.get(system.result_url, timeout=5)
                api = requests.get(f"{system.result_url}/api/results", timeout=5)
            except requests.RequestException:
                time.sleep(0.25)
                continue
            shown = api.json() if api.status_code == 200 else {}
            if page.status_code != 200 or {k: shown.get(k) for k in zeros} != zeros:
                self.problems.append(
                    f"results before the schema: page {page.status_code}, "
                    f"api {api.status_code} {api.text[:120]}"
                )
            return
        self.problems.append("result_web did not answer after it started")
