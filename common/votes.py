"""The vote message that vote_web publishes and the worker records."""

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

VOTE_ID = re.compile(r"^[0-9a-f]{32}$")
VOTER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class InvalidVoteError(ValueError):
    """A vote message that can never be recorded, however often it is retried."""


@dataclass(frozen=True)
class CastVote:
    """One vote as cast: who chose what, and when (an aware UTC time)."""

    vote_id: str
    voter_id: str
    choice: str
    cast_at: datetime
    request_id: str | None = None

    def to_message(self) -> dict[str, Any]:
        """Return the JSON-safe form carried in the Celery task."""
        return {
            "vote_id": self.vote_id,
            "voter_id": self.voter_id,
            "choice": self.choice,
            "cast_at": self.cast_at.isoformat(timespec="microseconds"),
            "request_id": self.request_id,
        }


def cast_vote(voter_id: str, choice: str, request_id: str | None) -> CastVote:
    """Stamp a new vote with a unique id and the current UTC time."""
    return CastVote(
        vote_id=uuid.uuid4().hex,
        voter_id=voter_id,
        choice=choice,
        cast_at=datetime.now(UTC),
        request_id=request_id,
    )


def parse_vote(message: object, options: Sequence[str]) -> CastVote:
    """Validate a task payload and return the vote it carries."""
    if not isinstance(message, Mapping):
        raise InvalidVoteError(f"vote must be an object, got {type(message).__name__}")
    vote_id = _matching(message, "vote_id", VOTE_ID)
    voter_id = _matching(message, "voter_id", VOTER_ID)
    choice = message.get("choice")
    if not isinstance(choice, str) or choice not in options:
        raise InvalidVoteError(f"unknown choice {choice!r}")
    request_id = message.get("request_id")
    if request_id is not None and not REQUEST_ID.match(str(request_id)):
        raise InvalidVoteError("malformed request_id")
    return CastVote(vote_id, voter_id, choice, _cast_at(message), request_id)


def _matching(message: Mapping[str, Any], field: str, pattern: re.Pattern[str]) -> str:
    value = message.get(field)
    if not isinstance(value, str) or not pattern.match(value):
        raise InvalidVoteError(f"malformed {field}")
    return value


def _cast_at(message: Mapping[str, Any]) -> datetime:
    try:
        cast_at = datetime.fromisoformat(message["cast_at"])
    except (KeyError, TypeError, ValueError):
        raise InvalidVoteError("malformed cast_at") from None
    if cast_at.tzinfo is None:
        raise InvalidVoteError("cast_at must carry a time zone")
    return cast_at.astimezone(UTC)
