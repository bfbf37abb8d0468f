"""Votes are recorded once each, and each voter's latest vote is what counts."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from common.results import read_results
from common.schema import Vote
from common.settings import MysqlSettings
from common.votes import CastVote, cast_vote
from tasks.recording import record_votes

OPTIONS = ("cats", "dogs")
START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def session(database: MysqlSettings) -> Iterator[Session]:
    engine = create_engine(database.url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def vote(voter: str, choice: str, seconds: float) -> CastVote:
    """Return a vote cast ``seconds`` after a fixed start time."""
    template = cast_vote(voter, choice, None)
    return CastVote(template.vote_id, voter, choice, START + timedelta(seconds=seconds))


def record(session: Session, *votes: CastVote) -> int:
    new = record_votes(session, list(votes))
    session.commit()
    return len(new)


def counts(session: Session) -> tuple[int, int, int]:
    results = read_results(session, OPTIONS)
    return results["cats"], results["dogs"], results["total"]


def test_same_vote_delivered_twice_counts_once(session: Session) -> None:
    ballot = vote("alice", "cats", 0)

    assert record(session, ballot) == 1
    assert record(session, ballot) == 0

    assert counts(session) == (1, 0, 1)
    assert session.scalar(select(func.count()).select_from(Vote)) == 1


def test_later_vote_replaces_earlier_one(session: Session) -> None:
    record(session, vote("alice", "cats", 0))
    record(session, vote("alice", "dogs", 1))

    assert counts(session) == (0, 1, 1)


def test_later_vote_wins_when_processed_first(session: Session) -> None:
    record(session, vote("alice", "dogs", 5))
    record(session, vote("alice", "cats", 1))

    assert counts(session) == (0, 1, 1)
    assert session.scalar(select(func.count()).select_from(Vote)) == 2


def test_batch_with_the_same_voter_twice_keeps_the_latest(session: Session) -> None:
    assert record(session, vote("bob", "dogs", 3), vote("bob", "cats", 2)) == 2

    assert counts(session) == (0, 1, 1)


def test_voters_are_counted_apart(session: Session) -> None:
    record(
        session,
        vote("a", "cats", 0),
        vote("b", "cats", 0),
        vote("c", "dogs", 0),
    )

    assert counts(session) == (2, 1, 3)


def test_message_mixing_known_and_new_votes_adds_only_the_new(
    session: Session,
) -> None:
    known = vote("a", "cats", 0)
    record(session, known)

    assert record(session, known, known, vote("b", "dogs", 1)) == 1

    assert counts(session) == (1, 1, 2)
