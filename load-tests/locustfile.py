"""Locust scenario: voters casting JSON votes against vote_web.

Each simulated voter keeps its cookie, so it is one voter changing its mind;
the results therefore count users, not requests. Run it with
``make load SCENARIO=light`` (see ``load-tests/scenarios.conf``) or directly:

    .venv/bin/locust -f load-tests/locustfile.py --host http://localhost:5000
"""

import os
import random

from locust import HttpUser, between, task

OPTIONS = os.environ.get("VOTE_OPTIONS", "cats,dogs").split(",")


class Voter(HttpUser):
    """A person on the vote page: mostly voting, sometimes reloading the page."""

    wait_time = between(0.1, 0.5)

    @task(10)
    def vote(self) -> None:
        """Cast a vote for a random option."""
        choice = random.choice(OPTIONS).strip()
        with self.client.post(
            "/vote", json={"vote": choice}, name="POST /vote", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:80]}")

    @task(1)
    def page(self) -> None:
        """Load the vote page."""
        self.client.get("/", name="GET /")
