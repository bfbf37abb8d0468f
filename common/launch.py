"""Shared start-up steps of ``python -m <component>``, before it becomes its server."""

import os
import shutil
import sys
import tempfile


def fresh_metrics_dir(component: str, port: int) -> str:
    """Empty the prometheus multiprocess directory and return its path.

    ``PROMETHEUS_MULTIPROC_DIR`` wins when set; otherwise a folder per
    component and port is used. Wiping it at each start keeps counters of a
    previous run, and files of processes long gone, out of this one.
    """
    metrics_dir = os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR",
        os.path.join(tempfile.gettempdir(), f"voting-{component}-metrics-{port}"),
    )
    shutil.rmtree(metrics_dir, ignore_errors=True)
    os.makedirs(metrics_dir)
    return metrics_dir


def become_gunicorn(config_module: str, app: str) -> None:
    """Replace this process with gunicorn, passing on extra command-line options."""
    command = [sys.executable, "-m", "gunicorn", "--config", f"python:{config_module}"]
    os.execv(sys.executable, [*command, *sys.argv[1:], app])
