"""The processes of the local stack, as supervisord programs."""

import getpass
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from stack.database import init_file_sql
from stack.layout import Layout


@dataclass(frozen=True)
class Program:
    """One supervised process."""

    name: str
    command: list[str]
    environment: dict[str, str] = field(default_factory=dict)
    priority: int = 50
    stop_wait_seconds: int = 20
    stop_whole_group: bool = True


def redis_program(layout: Layout) -> Program:
    """Return a Redis that keeps an append-only file under the run directory."""
    data = layout.run_dir / "redis"
    data.mkdir(parents=True, exist_ok=True)
    command = [
        "redis-server",
        "--port", str(layout.redis.port),
        "--bind", "127.0.0.1",
        "--dir", str(data),
        "--appendonly", "yes",
        "--save", "",
        "--daemonize", "no",
    ]  # fmt: skip
    if layout.redis.password:
        command += ["--requirepass", layout.redis.password]
    return Program("redis", command, priority=10)


def mysql_program(layout: Layout) -> Program:
    """Return a MariaDB server whose data lives under the run directory.

    It applies ``init.sql`` itself at each start, so a server started after
    the other components, or one whose database was dropped, comes back with
    the schema without ``make up`` having to run again.
    """
    data, socket = mysql_paths(layout)
    init_file = data.parent / "init.sql"
    init_file.write_text(init_file_sql(layout.mysql.database))
    command = mariadbd_command(data, layout.mysql.port, socket)
    command += [
        f"--pid-file={data.parent / 'mariadbd.pid'}",
        f"--init-file={init_file}",
    ]
    return Program("mysql", command, priority=10, stop_wait_seconds=60)


def mariadb_install_command(data: Path) -> list[str]:
    """Return the command that creates a data folder where root has no password."""
    return [
        mariadb_binary("mariadb-install-db"),
        "--no-defaults",
        f"--datadir={data}",
        f"--user={getpass.getuser()}",
        "--auth-root-authentication-method=normal",
        "--skip-test-db",
    ]


def mariadbd_command(data: Path, port: int, socket: Path) -> list[str]:
    """Return a MariaDB server command that ignores the machine's my.cnf files.

    Binary logs are off and the redo log is flushed once a second, not at each
    commit: a local or test server trades the last second on power loss for
    throughput.
    """
    command = [
        mariadb_binary("mariadbd"),
        "--no-defaults",
        f"--datadir={data}",
        f"--port={port}",
        "--bind-address=127.0.0.1",
        f"--socket={socket}",
        "--skip-log-bin",
        "--innodb-flush-log-at-trx-commit=2",
    ]
    if os.geteuid() == 0:
        command.append("--user=root")
    return command


def mysql_paths(layout: Layout) -> tuple[Path, Path]:
    """Return the data folder and Unix socket of the stack's own MariaDB."""
    base = layout.run_dir / "mysql"
    return base / "data", base / "mysqld.sock"


def mariadb_binary(name: str) -> str:
    """Find a MariaDB binary on PATH or in /usr/sbin, where Debian puts it."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    return found or name


def app_programs(layout: Layout) -> list[Program]:
    """Return vote_web, the worker, result_web and Flower."""
    python = str(layout.venv_bin / "python")
    result_url = layout.url(layout.result_port)
    vote_url = layout.url(layout.vote_port)
    worker_metrics = layout.run_dir / "metrics" / "worker"
    vote_metrics = layout.run_dir / "metrics" / "vote"
    flower = [
        *(python, "-m", "celery", "-A", "tasks.worker", "flower"),
        f"--port={layout.flower_port}",
        f"--address={layout.bind_host}",
    ]
    return [
        Program(
            "vote",
            [python, "-m", "vote_web"],
            {
                "PORT": str(layout.vote_port),
                "RESULT_URL": result_url,
                "PROMETHEUS_MULTIPROC_DIR": str(vote_metrics),
            },
        ),
        Program(
            "worker",
            [python, "-m", "tasks"],
            {
                "PORT": str(layout.worker_port),
                "PROMETHEUS_MULTIPROC_DIR": str(worker_metrics),
            },
            stop_wait_seconds=30,
            # SIGTERM to the main process alone lets Celery finish the
            # messages in hand; the group is still killed if it overstays.
            stop_whole_group=False,
        ),
        Program(
            "result",
            [python, "-m", "result_web"],
            {"PORT": str(layout.result_port), "VOTE_URL": vote_url},
        ),
        Program("flower", flower, priority=60),
    ]


def prometheus_program(layout: Layout) -> Program | None:
    """Return Prometheus with the project's ``prometheus.yml``, if it is installed."""
    binary = shutil.which("prometheus")
    if binary is None:
        return None
    data = layout.run_dir / "prometheus"
    data.mkdir(parents=True, exist_ok=True)
    config = layout.run_dir / "prometheus.yml"
    config.write_text(scrape_config(layout))
    command = [
        binary,
        f"--config.file={config}",
        f"--storage.tsdb.path={data}",
        f"--web.listen-address={layout.bind_host}:{layout.prometheus_port}",
        "--storage.tsdb.retention.time=7d",
    ]
    return Program("prometheus", command, priority=60)


DEFAULT_TARGETS = {
    "localhost:5000": "vote_port",
    "localhost:8080": "worker_port",
    "localhost:3000": "result_port",
    "localhost:5555": "flower_port",
    "localhost:9090": "prometheus_port",
}


def scrape_config(layout: Layout) -> str:
    """Return ``prometheus.yml`` with its targets moved to the configured ports."""
    text = (layout.root / "prometheus.yml").read_text()
    for target, attribute in DEFAULT_TARGETS.items():
        port = getattr(layout, attribute)
        text = text.replace(f'"{target}"', f'"localhost:{port}"')
    return text
