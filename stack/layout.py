"""Where the local stack keeps its files and which ports its components use."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from common.env import env_port, env_str
from common.settings import MysqlSettings, RedisSettings, load_mysql, load_redis

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Layout:
    """Paths and ports of one local stack."""

    root: Path
    run_dir: Path
    redis: RedisSettings
    mysql: MysqlSettings
    vote_port: int
    worker_port: int
    result_port: int
    flower_port: int
    prometheus_port: int
    bind_host: str
    public_host: str

    @property
    def logs(self) -> Path:
        """Return the folder of every component's log file."""
        return self.run_dir / "logs"

    @property
    def supervisor_conf(self) -> Path:
        """Return the generated supervisord configuration."""
        return self.run_dir / "supervisord.conf"

    @property
    def supervisor_pidfile(self) -> Path:
        """Return the supervisord pid file."""
        return self.run_dir / "supervisord.pid"

    @property
    def supervisor_socket(self) -> Path:
        """Return supervisord's control socket."""
        return self.run_dir / "supervisor.sock"

    @property
    def venv_bin(self) -> Path:
        """Return the project virtualenv's bin folder."""
        return self.root / ".venv" / "bin"

    def url(self, port: int, path: str = "/") -> str:
        """Return the URL a person opens for a component."""
        return f"http://{self.public_host}:{port}{path}"


def load_layout(env: Mapping[str, str] | None = None) -> Layout:
    """Read the stack's variables, on top of the components' own."""
    env = os.environ if env is None else env
    run_dir = Path(env_str("RUN_DIR", str(PROJECT_ROOT / ".run"), env)).resolve()
    return Layout(
        root=PROJECT_ROOT,
        run_dir=run_dir,
        redis=load_redis(env),
        mysql=load_mysql(env),
        vote_port=env_port("VOTE_WEB_PORT", 5000, env),
        worker_port=env_port("WORKER_PORT", 8080, env),
        result_port=env_port("RESULT_WEB_PORT", 3000, env),
        flower_port=env_port("FLOWER_PORT", 5555, env),
        prometheus_port=env_port("PROMETHEUS_PORT", 9090, env),
        bind_host=env_str("HOST", "0.0.0.0", env),
        public_host=env_str("PUBLIC_HOST", "localhost", env),
    )


def is_local(host: str) -> bool:
    """Return whether a host name means this machine."""
    return host in LOCAL_HOSTS
