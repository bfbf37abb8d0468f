"""The ``POST /vote`` contract that API clients and load tests rely on."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from common.votes import REQUEST_ID, VOTE_ID


def test_vote_is_accepted_queued_as_record_vote_and_noted_as_pending(
    client: FlaskClient, queued: Any, pending: Any
) -> None:
    response = client.post("/vote", json={"vote": "cats"})

    assert response.status_code == 200
    assert response.get_json() == {
        "status": "success",
        "vote": "cats",
        "message": "Thank you for voting for cats!",
    }
    [message] = queued()
    assert message["task"] == "record_vote"
    [vote] = message["votes"]
    assert vote["choice"] == "cats"
    assert VOTE_ID.match(vote["vote_id"])
    assert vote["cast_at"].endswith("+00:00")
    assert vote["request_id"] == response.headers["X-Request-ID"]
    assert pending() == {vote["vote_id"]: vote}


def test_choice_is_case_insensitive(client: FlaskClient) -> None:
    response = client.post("/vote", json={"vote": "  DoGs "})

    assert response.status_code == 200
    assert response.get_json()["vote"] == "dogs"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "error"),
    [
        (b"", "application/json", 400, "Invalid vote data"),
        (b"{}", "application/json", 400, "Invalid vote data"),
        (b'{"choice": "cats"}', "application/json", 400, "Invalid vote data"),
        (
            b'{"vote": "cows"}',
            "application/json",
            400,
            "Invalid choice. Must be cats or dogs",
        ),
        (b'{"vote": ', "application/json", 400, "Malformed JSON body"),
        (
            b"[1, 2]",
            "application/json",
            400,
            "Invalid vote data: expected a JSON object",
        ),
        (
            b'{"vote": 7}',
            "application/json",
            400,
            "Invalid vote data: vote must be a string",
        ),
        (b'{"vote": null}', "application/json", 400, "Invalid vote data"),
        (b'"cats"', "text/plain", 400, "Invalid vote data: expected a JSON object"),
        (b"\xff\xfe", "application/json", 400, "Malformed JSON body"),
    ],
)
def test_bad_bodies_get_a_json_400(
    client: FlaskClient,
    queued: Any,
    body: bytes,
    content_type: str,
    status: int,
    error: str,
) -> None:
    response = client.post("/vote", data=body, content_type=content_type)

    assert response.status_code == status
    assert response.get_json() == {"error": error}
    assert queued() == []


def test_oversized_body_gets_413(client: FlaskClient) -> None:
    response = client.post("/vote", data=b"x" * 10_000, content_type="application/json")

    assert response.status_code == 413
    assert response.get_json() == {"error": "Request body too large"}


def test_wrong_method_and_unknown_path_answer_json(client: FlaskClient) -> None:
    wrong_method = client.get("/vote")
    unknown = client.get("/nowhere")

    assert wrong_method.status_code == 405
    assert wrong_method.get_json() == {"error": "Method not allowed"}
    assert unknown.status_code == 404
    assert unknown.get_json() == {"error": "Not found"}


def test_request_id_is_kept_when_valid_and_replaced_when_not(
    client: FlaskClient,
) -> None:
    kept = client.get("/livez", headers={"X-Request-ID": "abc-123"})
    replaced = client.get("/livez", headers={"X-Request-ID": "<script>"})

    assert kept.headers["X-Request-ID"] == "abc-123"
    assert REQUEST_ID.match(replaced.headers["X-Request-ID"])
    assert replaced.headers["X-Request-ID"] != "<script>"


def test_a_client_without_cookie_is_a_new_voter_each_time(
    app: Any, queued: Any
) -> None:
    app.test_client().post("/vote", json={"vote": "cats"})
    app.test_client().post("/vote", json={"vote": "cats"})

    first, second = (message["votes"][0] for message in queued())
    assert first["voter_id"] != second["voter_id"]


def test_a_voter_with_cookie_keeps_one_identity(
    client: FlaskClient, queued: Any
) -> None:
    client.post("/vote", json={"vote": "cats"})
    client.post("/vote", json={"vote": "dogs"})

    first, second = (message["votes"][0] for message in queued())
    assert first["voter_id"] == second["voter_id"]
    assert second["cast_at"] > first["cast_at"]


def test_voter_cookie_is_httponly_and_samesite_lax(client: FlaskClient) -> None:
    response = client.post("/vote", json={"vote": "cats"})

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
