"""The voting page: options, the voter's choice, and the no-JavaScript form."""

import re
from typing import Any

from flask.testing import FlaskClient


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_page_offers_every_option_and_links_to_results(client: FlaskClient) -> None:
    response = client.get("/")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<title>Voting App</title>" in page
    assert 'value="cats"' in page
    assert 'value="dogs"' in page
    assert 'href="http://localhost:3000"' in page
    assert "<script>" not in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_form_vote_without_javascript_redirects_and_shows_the_choice(
    client: FlaskClient, queued: Any
) -> None:
    token = csrf_token(client.get("/").get_data(as_text=True))

    response = client.post("/vote", data={"vote": "dogs", "csrf_token": token})
    page = client.get("/").get_data(as_text=True)

    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "You voted for dogs." in page
    assert 'aria-pressed="true"' in page
    assert [message["votes"][0]["choice"] for message in queued()] == ["dogs"]


def test_form_vote_without_a_valid_token_is_refused(
    client: FlaskClient, queued: Any
) -> None:
    client.get("/")

    response = client.post("/vote", data={"vote": "dogs", "csrf_token": "forged"})

    assert response.status_code == 400
    assert "token" in response.get_json()["error"]
    assert queued() == []
