"""Docker Compose and the native stack agree on ports and variable names."""

import re
from pathlib import Path
from typing import Any

import yaml

from stack.layout import load_layout
from tests.conftest import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / "env.example"


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def documented_variables() -> set[str]:
    """Return every variable env.example names, set or commented out."""
    pattern = re.compile(r"^#?\s*([A-Z][A-Z0-9_]+)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text()))


def test_every_variable_compose_reads_is_documented() -> None:
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))

    assert used <= documented_variables()


def test_app_containers_get_only_variables_the_components_read() -> None:
    services = compose()["services"]
    for name in ("vote", "worker", "result", "flower"):
        names = set(services[name]["environment"])
        assert names <= documented_variables(), name


def test_published_ports_match_the_native_defaults() -> None:
    layout = load_layout({})
    ports = " ".join(
        str(port)
        for service in compose()["services"].values()
        for port in service.get("ports", [])
    )

    assert f"${{VOTE_WEB_PORT:-{layout.vote_port}}}:5000" in ports
    assert f"${{RESULT_WEB_PORT:-{layout.result_port}}}:3000" in ports
    assert f"${{FLOWER_PORT:-{layout.flower_port}}}:5555" in ports
    assert f"${{PROMETHEUS_PORT:-{layout.prometheus_port}}}:9090" in ports


def test_images_listen_where_the_native_components_do() -> None:
    layout = load_layout({})
    expected = {
        "vote_web": layout.vote_port,
        "worker": layout.worker_port,
        "result_web": layout.result_port,
    }
    for image, port in expected.items():
        dockerfile = Path(PROJECT_ROOT / "docker" / f"{image}.Dockerfile").read_text()
        assert f"PORT={port}" in dockerfile, image
        assert f"EXPOSE {port}" in dockerfile, image
