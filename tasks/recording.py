"""Record a message of votes exactly once, with the tallies, in one transaction.

A message may carry hundreds of votes, so every step works on the whole group
in a handful of statements: which votes are new, the new rows, the voters'
current choices (locked), and one tally change per option. Rows go through
Core ``executemany``, which PyMySQL sends as one multi-row statement and
SQLAlchemy compiles once, not once per group size.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select
from sqlalchemy.dialects.mysql import insert

from common.schema import AnySession, Base, Tally, Vote, VoterChoice
from common.votes import CastVote

VOTES = Base.metadata.tables[Vote.__tablename__]
VOTER_CHOICES = Base.metadata.tables[VoterChoice.__tablename__]


class ConcurrentDeliveryError(RuntimeError):
    """Another transaction stored some of these votes first; retry to skip them."""


def record_votes(session: AnySession, votes: Sequence[CastVote]) -> list[CastVote]:
    """Store the votes not seen before and move the tallies; return the new ones.

    A redelivered vote finds its id already stored and changes nothing. For
    each voter only the vote cast last counts, whatever order votes arrive in.
    The caller commits, or rolls back on any error.
    """
    unique = list({vote.vote_id: vote for vote in votes}.values())
    new_votes = _insert_new_votes(session, unique)
    if not new_votes:
        return []

    latest: dict[str, CastVote] = {}
    for vote in sorted(new_votes, key=_order):
        latest[vote.voter_id] = vote
    deltas = _apply_voter_choices(session, latest)
    _add_to_tallies(session, deltas)
    return new_votes


def _order(vote: CastVote) -> tuple[datetime, str]:
    return (_naive_utc(vote.cast_at), vote.vote_id)


def _naive_utc(moment: datetime) -> datetime:
    """Return the UTC wall time MySQL stores in a DATETIME column."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _insert_new_votes(session: AnySession, votes: list[CastVote]) -> list[CastVote]:
    ids = [vote.vote_id for vote in votes]
    known = set(session.scalars(select(Vote.vote_id).where(Vote.vote_id.in_(ids))))
    new_votes = [vote for vote in votes if vote.vote_id not in known]
    if not new_votes:
        return []

    recorded_at = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "vote_id": vote.vote_id,
            "voter_id": vote.voter_id,
            "choice": vote.choice,
            "cast_at": _naive_utc(vote.cast_at),
            "request_id": vote.request_id,
            "recorded_at": recorded_at,
        }
        for vote in new_votes
    ]
    statement = insert(VOTES).prefix_with("IGNORE")
    result = session.connection().execute(statement, rows)
    if cast(CursorResult[Any], result).rowcount != len(rows):
        raise ConcurrentDeliveryError("some votes were stored by another worker")
    return new_votes


def _apply_voter_choices(
    session: AnySession, latest: dict[str, CastVote]
) -> Counter[str]:
    """Make each voter's latest vote current; return how the tallies move."""
    current = {
        row.voter_id: row
        for row in session.execute(
            select(VoterChoice.voter_id, VoterChoice.choice, VoterChoice.cast_at,
                   VoterChoice.vote_id)
            .where(VoterChoice.voter_id.in_(sorted(latest)))
            .order_by(VoterChoice.voter_id)
            .with_for_update()
        )
    }  # fmt: skip

    deltas: Counter[str] = Counter()
    first_votes, changed_votes = [], []
    for voter_id, vote in latest.items():
        row = current.get(voter_id)
        if row is None:
            first_votes.append(vote)
            deltas[vote.choice] += 1
        elif _order(vote) > (row.cast_at, row.vote_id):
            changed_votes.append(vote)
            deltas[row.choice] -= 1
            deltas[vote.choice] += 1

    connection = session.connection()
    table = VOTER_CHOICES
    if first_votes:
        connection.execute(insert(table), _choice_rows(first_votes))
    if changed_votes:
        upsert = insert(table)
        replace_current = upsert.on_duplicate_key_update(
            choice=upsert.inserted.choice,
            cast_at=upsert.inserted.cast_at,
            vote_id=upsert.inserted.vote_id,
        )
        connection.execute(replace_current, _choice_rows(changed_votes))
    return deltas


def _choice_rows(votes: list[CastVote]) -> list[dict[str, Any]]:
    return [
        {
            "voter_id": vote.voter_id,
            "choice": vote.choice,
            "cast_at": _naive_utc(vote.cast_at),
            "vote_id": vote.vote_id,
        }
        for vote in votes
    ]


def _add_to_tallies(session: AnySession, deltas: Counter[str]) -> None:
    for choice in sorted(deltas):
        delta = deltas[choice]
        if delta == 0:
            continue
        statement = insert(Tally).values(choice=choice, votes=delta)
        session.execute(statement.on_duplicate_key_update(votes=Tally.votes + delta))
