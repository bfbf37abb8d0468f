"""Record a message of votes exactly once, with the tallies, in one transaction.

A message may carry hundreds of votes, so every step works on the whole group
in a handful of statements: the new vote rows, the voters' current choices
(locked), and the tally changes. The statements are plain SQL run on the
session's connection, in its transaction. Measured on a 500-vote message,
SQLAlchemy's per-row parameter processing and the driver's per-row escaping
cost more Python time than the rest of the task together; raw rows as tuples
keep only the escaping, and PyMySQL sends each ``executemany`` as one
multi-row statement.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection

from common.schema import AnySession
from common.votes import CastVote

INSERT_VOTES = (
    "INSERT IGNORE INTO votes (vote_id, voter_id, choice, cast_at, request_id)"
    " VALUES (%s, %s, %s, %s, %s)"
)
FIND_VOTES = "SELECT vote_id FROM votes WHERE vote_id IN %s"
LOCK_CHOICES = (
    "SELECT voter_id, choice, cast_at, vote_id FROM voter_choices"
    " WHERE voter_id IN %s ORDER BY voter_id FOR UPDATE"
)
INSERT_CHOICES = (
    "INSERT INTO voter_choices (voter_id, choice, cast_at, vote_id)"
    " VALUES (%s, %s, %s, %s)"
)
REPLACE_CHOICES = (
    INSERT_CHOICES + " ON DUPLICATE KEY UPDATE choice = VALUES(choice),"
    " cast_at = VALUES(cast_at), vote_id = VALUES(vote_id)"
)
MOVE_TALLIES = (
    "INSERT INTO tallies (choice, votes) VALUES (%s, %s)"
    " ON DUPLICATE KEY UPDATE votes = votes + VALUES(votes)"
)


class ConcurrentDeliveryError(RuntimeError):
    """Another transaction stored some of these votes first; retry to skip them."""


def record_votes(session: AnySession, votes: Sequence[CastVote]) -> list[CastVote]:
    """Store the votes not seen before and move the tallies; return the new ones.

    A redelivered vote finds its id already stored and changes nothing. For
    each voter only the vote cast last counts, whatever order votes arrive in.
    The caller commits, or rolls back on any error; a redelivered message is
    rolled back here once and redone without its known votes.
    """
    unique = list({vote.vote_id: vote for vote in votes}.values())
    new_votes = _insert_new_votes(session, unique)
    if not new_votes:
        return []

    latest: dict[str, CastVote] = {}
    for vote in sorted(new_votes, key=_order):
        latest[vote.voter_id] = vote
    connection = session.connection()
    deltas = _apply_voter_choices(connection, latest)
    _move_tallies(connection, deltas)
    return new_votes


def _order(vote: CastVote) -> tuple[datetime, str]:
    return (vote.cast_at, vote.vote_id)


def _mysql_time(moment: datetime) -> str:
    """Return an aware time as the UTC ``DATETIME(6)`` literal MySQL stores."""
    return moment.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def _insert_new_votes(session: AnySession, votes: list[CastVote]) -> list[CastVote]:
    """Insert the votes not stored yet and return them.

    Almost every message is new, so the insert comes first and its row count
    tells whether any vote was stored before. Only then is the insert undone
    and redone without the known ids, which costs a redelivery one more round
    trip instead of costing every message a lookup.
    """
    if _insert_ignoring_known(session.connection(), votes) == len(votes):
        return votes

    session.rollback()
    connection = session.connection()
    ids = tuple(vote.vote_id for vote in votes)
    known = set(connection.exec_driver_sql(FIND_VOTES, (ids,)).scalars())
    new_votes = [vote for vote in votes if vote.vote_id not in known]
    if new_votes and _insert_ignoring_known(connection, new_votes) != len(new_votes):
        raise ConcurrentDeliveryError("some votes were stored by another worker")
    return new_votes


def _insert_ignoring_known(connection: Connection, votes: list[CastVote]) -> int:
    """Insert the votes whose ids are not stored yet; return how many were."""
    rows = [
        (
            vote.vote_id,
            vote.voter_id,
            vote.choice,
            _mysql_time(vote.cast_at),
            vote.request_id,
        )
        for vote in votes
    ]
    return connection.exec_driver_sql(INSERT_VOTES, rows).rowcount


def _apply_voter_choices(
    connection: Connection, latest: dict[str, CastVote]
) -> Counter[str]:
    """Make each voter's latest vote current; return how the tallies move.

    The voters' rows are locked in key order, so two workers recording the
    same voters wait for each other instead of deadlocking. A voter's first
    vote is a plain insert: if another worker inserts the same voter first,
    the duplicate key fails this transaction, and its retry sees that row.
    """
    voters = tuple(sorted(latest))
    current = {
        row.voter_id: row for row in connection.exec_driver_sql(LOCK_CHOICES, (voters,))
    }

    deltas: Counter[str] = Counter()
    first_votes, changed_votes = [], []
    for voter_id, vote in latest.items():
        row = current.get(voter_id)
        if row is None:
            first_votes.append(_choice_row(vote))
            deltas[vote.choice] += 1
        elif _order(vote) > (row.cast_at.replace(tzinfo=UTC), row.vote_id):
            changed_votes.append(_choice_row(vote))
            deltas[row.choice] -= 1
            deltas[vote.choice] += 1

    if first_votes:
        connection.exec_driver_sql(INSERT_CHOICES, first_votes)
    if changed_votes:
        connection.exec_driver_sql(REPLACE_CHOICES, changed_votes)
    return deltas


def _choice_row(vote: CastVote) -> tuple[str, str, str, str]:
    return (vote.voter_id, vote.choice, _mysql_time(vote.cast_at), vote.vote_id)


def _move_tallies(connection: Connection, deltas: Counter[str]) -> None:
    """Add each option's change to its tally, in a fixed order against deadlocks."""
    rows = [(choice, deltas[choice]) for choice in sorted(deltas) if deltas[choice]]
    if rows:
        connection.exec_driver_sql(MOVE_TALLIES, rows)
