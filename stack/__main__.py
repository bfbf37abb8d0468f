"""Bring the whole system up natively, and down again.

``python -m stack up|down|status|logs`` (the Makefile's ``up``, ``down``,
``status`` and ``logs``). Redis and MySQL are used where the settings point
if they answer; otherwise the stack runs its own under ``RUN_DIR``.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from dotenv import load_dotenv

from common.env import ConfigError, exit_with_config_error
from stack.health import components, format_table, status_rows
from stack.layout import Layout, load_layout
from stack.probes import port_in_use
from stack.programs import (
    app_programs,
    mysql_program,
    prometheus_program,
    redis_program,
)
from stack.servers import (
    StackError,
    initialise_mysql,
    needs_own_mysql,
    needs_own_redis,
    prepare_database,
    wait_until,
)
from stack.supervisor import (
    program_states,
    render_config,
    start_supervisord,
    stop_supervisord,
    supervisorctl,
    supervisord_pid,
)

HEALTH_TIMEOUT_SECONDS = 150


def say(message: str) -> None:
    """Print a progress line."""
    print(f"==> {message}", flush=True)


def state_file(layout: Layout) -> Path:
    """Return the file recording which servers the stack started itself."""
    return layout.run_dir / "stack.json"


def read_state(layout: Layout) -> dict[str, object]:
    """Return what the running stack recorded at start, or an empty dict."""
    try:
        return json.loads(state_file(layout).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def up(layout: Layout) -> int:
    """Start everything that is not running and wait until all is healthy."""
    if supervisord_pid(layout) is not None:
        say("the stack is already running; starting anything that stopped")
        supervisorctl(layout, "start", "all")
    else:
        start_fresh(layout)

    state = read_state(layout)
    own = set(state.get("own", []))  # type: ignore[call-overload]
    wait_for_databases(layout, own)
    return wait_for_health(layout, own, bool(state.get("prometheus")))


def start_fresh(layout: Layout) -> None:
    """Decide what to run, write supervisord's configuration and start it."""
    layout.logs.mkdir(parents=True, exist_ok=True)
    check_ports_free(layout)

    programs, own = [], []
    if needs_own_redis(layout):
        say(f"no Redis at {layout.redis.display}: starting our own (append-only)")
        programs.append(redis_program(layout))
        own.append("redis")
    else:
        say(f"using the Redis at {layout.redis.display}")
    if needs_own_mysql(layout):
        say(f"no MySQL at {layout.mysql.host}:{layout.mysql.port}: starting MariaDB")
        initialise_mysql(layout)
        programs.append(mysql_program(layout))
        own.append("mysql")
    else:
        say(f"using the MySQL at {layout.mysql.display}")

    programs += app_programs(layout)
    prometheus = prometheus_program(layout)
    if prometheus is None:
        say("prometheus is not installed (make install as root adds it); skipping")
    else:
        programs.append(prometheus)

    layout.supervisor_conf.write_text(render_config(layout, programs))
    state = {"own": own, "prometheus": prometheus is not None}
    state_file(layout).write_text(json.dumps(state))
    say(f"starting {len(programs)} processes under supervisord")
    start_supervisord(layout)


def check_ports_free(layout: Layout) -> None:
    """Fail early, naming the variable, when a component's port is taken."""
    ports = {
        "VOTE_WEB_PORT": layout.vote_port,
        "WORKER_PORT": layout.worker_port,
        "RESULT_WEB_PORT": layout.result_port,
        "FLOWER_PORT": layout.flower_port,
        "PROMETHEUS_PORT": layout.prometheus_port,
    }
    for variable, port in ports.items():
        if port_in_use(port):
            raise StackError(
                f"port {port} is already in use by another program; "
                f"stop it or set {variable} to a free port"
            )


def wait_for_databases(layout: Layout, own: set[str]) -> None:
    """Wait for Redis and MySQL, then create the database and apply init.sql."""
    parts = {part.name: part for part in components(layout, prometheus=False)}
    wait_until(parts["redis"].check, 30, "Redis")
    if "mysql" in own:
        wait_until(lambda: port_in_use(layout.mysql.port), 60, "MariaDB")
    say(f"applying init.sql to database {layout.mysql.database}")
    prepare_database(layout, own_mysql="mysql" in own)


def _mysql_listening(layout: Layout):
    return lambda: port_in_use(layout.mysql.port)


def wait_for_health(layout: Layout, own: set[str], prometheus: bool) -> int:
    """Wait until every component is healthy, then print the status table."""
    parts = components(layout, prometheus)
    deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
    pending = [part.name for part in parts]
    say("waiting for every component to report healthy")
    shown: list[str] = []
    while pending and time.monotonic() < deadline:
        pending = [part.name for part in parts if not part.check()]
        if pending and pending != shown:
            print(f"    waiting for: {', '.join(pending)}", flush=True)
            shown = pending
        if pending:
            time.sleep(0.5)

    rows = status_rows(parts, program_states(layout), own)
    print()
    print(format_table(rows))
    print()
    if pending:
        print(f"Not healthy: {', '.join(pending)}. See `make logs` or {layout.logs}.")
        return 1
    print("All components are healthy. `make down` stops them.")
    return 0


def down(layout: Layout) -> int:
    """Stop every process the stack started, and supervisord itself."""
    if supervisord_pid(layout) is None:
        say("the stack is not running")
        return 0
    say("stopping every component (votes in flight are finished first)")
    if not stop_supervisord(layout):
        print("supervisord did not stop in time; see make logs", file=sys.stderr)
        return 1
    say("stopped")
    return 0


def status(layout: Layout) -> int:
    """Print each component with its health; exit 1 unless all are healthy."""
    running = supervisord_pid(layout) is not None
    state = read_state(layout) if running else {}
    own = set(state.get("own", []))  # type: ignore[call-overload]
    parts = components(layout, bool(state.get("prometheus")))
    states = program_states(layout) if running else {}
    rows = status_rows(parts, states, own)
    if not running:
        print("The stack is not running (make up starts it).\n")
    print(format_table(rows))
    return 0 if all(row.state.startswith("healthy") for row in rows) else 1


def logs(layout: Layout) -> int:
    """Follow every component's log."""
    files = sorted(str(path) for path in layout.logs.glob("*.log"))
    if not files:
        print("No logs yet: make up starts the stack.")
        return 1
    os.execvp("tail", ["tail", "-n", "20", "-F", *files])


def main() -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m stack", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status", "logs"])
    args = parser.parse_args()
    load_dotenv(Path(".env"), override=False)
    try:
        layout = load_layout()
    except ConfigError as error:
        exit_with_config_error(error)
    commands = {"up": up, "down": down, "status": status, "logs": logs}
    try:
        return commands[args.command](layout)
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
