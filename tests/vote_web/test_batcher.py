"""Votes that arrive while a publish is in flight share the next message."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask

from common.votes import CastVote, cast_vote
from vote_web.batcher import VoteBatcher


class GatedPublisher:
    """Records each group; holds the first publish until released."""

    def __init__(self) -> None:
        self.groups: list[list[CastVote]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()

    def __call__(self, votes: list[CastVote]) -> None:
        self.groups.append(votes)
        if len(self.groups) == 1:
            self.first_started.set()
            self.release.wait(10)


def test_votes_waiting_on_a_publish_go_out_together() -> None:
    publisher = GatedPublisher()
    batcher = VoteBatcher(publisher)

    with ThreadPoolExecutor(11) as pool:
        first = pool.submit(batcher.submit, cast_vote("v0", "cats", None))
        assert publisher.first_started.wait(5)
        rest = [
            pool.submit(batcher.submit, cast_vote(f"v{n}", "dogs", None))
            for n in range(1, 11)
        ]
        while len(batcher._pending) < 10:
            threading.Event().wait(0.01)
        publisher.release.set()
        for future in [first, *rest]:
            future.result(timeout=5)

    assert [len(group) for group in publisher.groups] == [1, 10]


def test_a_failed_publish_fails_every_vote_of_its_group() -> None:
    def refuse(votes: list[CastVote]) -> None:
        raise ConnectionError("broker away")

    batcher = VoteBatcher(refuse)

    with pytest.raises(ConnectionError, match="broker away"):
        batcher.submit(cast_vote("v", "cats", None))


def test_concurrent_votes_are_all_queued_once(app: Flask, queued: Any) -> None:
    def vote(_: int) -> int:
        return app.test_client().post("/vote", json={"vote": "cats"}).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(vote, range(40)))

    assert statuses == [200] * 40
    vote_ids = [v["vote_id"] for message in queued() for v in message["votes"]]
    assert len(vote_ids) == 40
    assert len(set(vote_ids)) == 40
