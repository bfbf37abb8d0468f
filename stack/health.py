"""Check every component and print one table of names, URLs and states."""

from collections.abc import Callable
from dataclasses import dataclass

from stack.layout import Layout
from stack.probes import http_status, mysql_error, redis_answers


@dataclass(frozen=True)
class Component:
    """A part of the system, where a person finds it, and how to check it."""

    name: str
    url: str
    check: Callable[[], bool]
    program: str | None = None


@dataclass(frozen=True)
class Row:
    """One line of the status table."""

    name: str
    url: str
    state: str


def _http_ok(url: str) -> Callable[[], bool]:
    return lambda: http_status(url)[0] == 200


def components(layout: Layout, prometheus: bool) -> list[Component]:
    """Return every component of the stack, in start order."""
    redis, mysql = layout.redis, layout.mysql
    parts = [
        Component(
            "redis",
            f"redis://{redis.host}:{redis.port}/{redis.db}",
            lambda: redis_answers(redis),
            "redis",
        ),
        Component(
            "mysql",
            f"mysql://{mysql.user}@{mysql.host}:{mysql.port}/{mysql.database}",
            lambda: mysql_error(mysql) is None,
            "mysql",
        ),
        _web(layout, "vote", layout.vote_port, "/health", "/"),
        _web(layout, "worker", layout.worker_port, "/health", "/health"),
        _web(layout, "result", layout.result_port, "/health", "/"),
        _web(layout, "flower", layout.flower_port, "/healthcheck", "/"),
    ]
    if prometheus:
        parts.append(
            _web(layout, "prometheus", layout.prometheus_port, "/-/ready", "/")
        )
    return parts


def _web(layout: Layout, name: str, port: int, health: str, page: str) -> Component:
    local = f"http://127.0.0.1:{port}{health}"
    return Component(name, layout.url(port, page), _http_ok(local), name)


def status_rows(
    parts: list[Component], program_states: dict[str, str], own: set[str]
) -> list[Row]:
    """Probe each component and describe its state in a word or two."""
    rows = []
    for part in parts:
        healthy = part.check()
        state = "healthy" if healthy else "unhealthy"
        supervised = part.program in own or part.program not in {"redis", "mysql"}
        program_state = program_states.get(part.program or "", "")
        if supervised and program_state and program_state != "RUNNING":
            state = f"{state} ({program_state.lower()})"
        elif not supervised:
            state = f"{state} (external)"
        rows.append(Row(part.name, part.url, state))
    return rows


def format_table(rows: list[Row]) -> str:
    """Return rows as an aligned plain-text table."""
    header = Row("COMPONENT", "URL", "STATE")
    table = [header, *rows]
    name_width = max(len(row.name) for row in table)
    url_width = max(len(row.url) for row in table)
    return "\n".join(
        f"{row.name:<{name_width}}  {row.url:<{url_width}}  {row.state}"
        for row in table
    )
