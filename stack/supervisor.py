"""Render supervisord's configuration and drive supervisord."""

import os
import subprocess
import time
from collections.abc import Iterable

from stack.layout import Layout
from stack.programs import Program


def render_config(layout: Layout, programs: Iterable[Program]) -> str:
    """Return a supervisord configuration that runs and restarts ``programs``."""
    sections = [
        "[unix_http_server]",
        f"file={layout.supervisor_socket}",
        "chmod=0700",
        "",
        "[supervisord]",
        f"logfile={layout.logs / 'supervisord.log'}",
        f"pidfile={layout.supervisor_pidfile}",
        f"directory={layout.root}",
        "logfile_maxbytes=10MB",
        "logfile_backups=2",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = "
        "supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{layout.supervisor_socket}",
        "",
    ]
    for program in programs:
        sections += _program_section(layout, program)
    return "\n".join(sections)


def _program_section(layout: Layout, program: Program) -> list[str]:
    environment = ",".join(
        f'{key}="{_escape(value)}"' for key, value in program.environment.items()
    )
    lines = [
        f"[program:{program.name}]",
        "command=" + " ".join(_quote_arg(arg) for arg in program.command),
        f"priority={program.priority}",
        "autostart=true",
        "autorestart=true",
        "startsecs=3",
        "startretries=1000",
        "stopsignal=TERM",
        f"stopwaitsecs={program.stop_wait_seconds}",
        f"stopasgroup={str(program.stop_whole_group).lower()}",
        "killasgroup=true",
        "redirect_stderr=true",
        f"stdout_logfile={layout.logs / (program.name + '.log')}",
        "stdout_logfile_maxbytes=20MB",
        "stdout_logfile_backups=2",
    ]
    if environment:
        lines.append(f"environment={environment}")
    return [*lines, ""]


def _escape(value: str) -> str:
    return value.replace("%", "%%").replace('"', '\\"')


def _quote_arg(arg: str) -> str:
    if arg == "":
        return '""'
    escaped = _escape(arg)
    return f'"{escaped}"' if any(c in arg for c in " \"'") else escaped


def supervisord_pid(layout: Layout) -> int | None:
    """Return the pid of this stack's running supervisord, if there is one."""
    try:
        pid = int(layout.supervisor_pidfile.read_text().strip())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def start_supervisord(layout: Layout) -> None:
    """Start supervisord in the background with the rendered configuration."""
    subprocess.run(
        [str(layout.venv_bin / "supervisord"), "-c", str(layout.supervisor_conf)],
        check=True,
        cwd=layout.root,
    )


def supervisorctl(layout: Layout, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a supervisorctl command against this stack's supervisord."""
    return subprocess.run(
        [
            str(layout.venv_bin / "supervisorctl"),
            "-c",
            str(layout.supervisor_conf),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=layout.root,
    )


def program_states(layout: Layout) -> dict[str, str]:
    """Return each program's supervisord state (RUNNING, BACKOFF, ...)."""
    result = supervisorctl(layout, "status")
    states = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            states[parts[0]] = parts[1]
    return states


def stop_supervisord(layout: Layout, timeout: float = 90) -> bool:
    """Stop every program and supervisord itself; return whether it is gone."""
    pid = supervisord_pid(layout)
    if pid is None:
        return True
    supervisorctl(layout, "shutdown")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if supervisord_pid(layout) is None:
            return True
        time.sleep(0.2)
    return False
