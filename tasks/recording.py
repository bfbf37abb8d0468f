"""Record votes exactly once and keep the tallies in step, in one transaction."""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import CursorResult, select
from sqlalchemy.dialects.mysql import insert

from common.schema import AnySession, Tally, Vote, VoterChoice
from common.votes import CastVote


def record_votes(session: AnySession, votes: Sequence[CastVote]) -> list[CastVote]:
    """Store the votes not seen before and move the tallies; return the new ones.

    A redelivered vote finds its id already stored and changes nothing. For
    each voter only the vote cast last counts, whatever order votes arrive in.
    The caller commits.
    """
    new_votes = [vote for vote in votes if _insert_vote(session, vote)]
    latest: dict[str, CastVote] = {}
    for vote in sorted(new_votes, key=_order):
        latest[vote.voter_id] = vote

    deltas: Counter[str] = Counter()
    for voter_id in sorted(latest):
        _apply_voter_choice(session, latest[voter_id], deltas)
    _add_to_tallies(session, deltas)
    return new_votes


def _order(vote: CastVote) -> tuple[datetime, str]:
    return (_naive_utc(vote.cast_at), vote.vote_id)


def _naive_utc(moment: datetime) -> datetime:
    """Return the UTC wall time MySQL stores in a DATETIME column."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _insert_vote(session: AnySession, vote: CastVote) -> bool:
    statement = (
        insert(Vote)
        .prefix_with("IGNORE")
        .values(
            vote_id=vote.vote_id,
            voter_id=vote.voter_id,
            choice=vote.choice,
            cast_at=_naive_utc(vote.cast_at),
            request_id=vote.request_id,
            recorded_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    result = cast(CursorResult[object], session.execute(statement))
    return result.rowcount == 1


def _apply_voter_choice(
    session: AnySession, vote: CastVote, deltas: Counter[str]
) -> None:
    current = session.execute(
        select(VoterChoice)
        .where(VoterChoice.voter_id == vote.voter_id)
        .with_for_update()
    ).scalar_one_or_none()
    cast_at = _naive_utc(vote.cast_at)

    if current is None:
        session.add(
            VoterChoice(
                voter_id=vote.voter_id,
                choice=vote.choice,
                cast_at=cast_at,
                vote_id=vote.vote_id,
            )
        )
        deltas[vote.choice] += 1
        return

    if (cast_at, vote.vote_id) <= (current.cast_at, current.vote_id):
        return

    if current.choice != vote.choice:
        deltas[current.choice] -= 1
        deltas[vote.choice] += 1
    current.choice = vote.choice
    current.cast_at = cast_at
    current.vote_id = vote.vote_id


def _add_to_tallies(session: AnySession, deltas: Counter[str]) -> None:
    for choice in sorted(deltas):
        delta = deltas[choice]
        if delta == 0:
            continue
        statement = insert(Tally).values(choice=choice, votes=delta)
        session.execute(statement.on_duplicate_key_update(votes=Tally.votes + delta))
