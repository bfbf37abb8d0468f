"""result_web: the results API, health, the page, and live pushes."""

import queue
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests
import socketio

from common.settings import MysqlSettings
from result_web.app import create_app
from result_web.config import load_config
from stack.database import apply_schema, connect
from tests.conftest import Services
from tests.servers import start_mariadb, wait_for


def make_client(database: MysqlSettings, **env: str) -> Any:
    config = replace(load_config(env), mysql=database)
    return create_app(config).test_client()


def add_tally(database: MysqlSettings, choice: str, votes: int) -> None:
    with connect(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tallies (choice, votes) VALUES (%s, %s)", (choice, votes)
        )


def test_api_results_has_counts_total_and_time(database: MysqlSettings) -> None:
    add_tally(database, "cats", 3)
    client = make_client(database)

    body = client.get("/api/results").get_json()

    assert (body["cats"], body["dogs"], body["total"]) == (3, 0, 3)
    assert body["updated_at"]
    assert body["stale"] is False


def test_database_down_gives_503_health_and_stale_zeros(
    database: MysqlSettings,
) -> None:
    client = make_client(replace(database, port=1))

    health = client.get("/health")
    results = client.get("/api/results")

    assert health.status_code == 503
    assert health.get_json()["database"] == "disconnected"
    assert results.status_code == 200
    assert results.get_json()["stale"] is True
    assert results.get_json()["total"] == 0
    assert client.get("/").status_code == 200


def test_page_lists_options_and_links_to_vote_page(database: MysqlSettings) -> None:
    client = make_client(
        database, VOTE_OPTIONS="tea,coffee", VOTE_URL="http://vote.example/"
    )

    response = client.get("/")
    page = response.get_data(as_text=True)

    assert 'data-option="tea"' in page
    assert 'data-option="coffee"' in page
    assert 'href="http://vote.example/"' in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_socket_client_gets_initial_and_pushed_results(services: Services) -> None:
    vote_url, _ = services.start("vote_web")
    result_url, _ = services.start("result_web")
    services.start("tasks", ready_path="/health", WORKER_CONCURRENCY="1")
    received: queue.Queue[dict[str, Any]] = queue.Queue()
    client = socketio.Client()
    client.on("results", received.put)

    client.connect(result_url, transports=["websocket"])
    try:
        initial = received.get(timeout=20)
        requests.post(f"{vote_url}/vote", json={"vote": "dogs"}, timeout=5)
        update = received.get(timeout=20)
        while update["dogs"] == 0:
            update = received.get(timeout=20)
    finally:
        client.disconnect()

    assert initial["total"] == 0
    assert (update["cats"], update["dogs"], update["total"]) == (0, 1, 1)


def test_results_turn_stale_while_mysql_is_down_and_recover_by_themselves(
    tmp_path: Path,
) -> None:
    server_settings, server = start_mariadb(tmp_path / "mariadb")
    database = replace(server_settings, database="voting")
    try:
        apply_schema(database)
        add_tally(database, "cats", 2)
        client = make_client(database)
        assert client.get("/api/results").get_json()["cats"] == 2

        server.stop()
        down = client.get("/api/results").get_json()
        health_down = client.get("/health").status_code

        server.restart()
        wait_for(lambda: client.get("/health").status_code == 200, 30, "MySQL back")
        back = client.get("/api/results").get_json()
    finally:
        server.stop()

    assert (down["cats"], down["stale"]) == (2, True)
    assert health_down == 503
    assert (back["cats"], back["stale"]) == (2, False)
