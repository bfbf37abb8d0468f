"""The zero-loss check: compare what the database holds with what was accepted.

- **counted**: accepted votes that have their row in ``votes``.
- **lost**: accepted votes without a row, voters whose current choice is not
  their latest recorded vote, and tallies short of what the votes imply.
- **duplicated**: extra rows for one request, rows nobody sent, and tallies
  above what the votes imply.

A refused vote may still have reached the broker (the answer, not the
message, was lost); such a vote counts like any other, since its voter was
not used again.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from chaos.load import Attempt
from chaos.system import System


@dataclass(frozen=True)
class Audit:
    """What one drill's votes became."""

    accepted: int
    counted: int
    lost: int
    duplicated: int
    refused_but_recorded: int
    problems: list[str] = field(default_factory=list)


def audit(system: System, attempts: Sequence[Attempt]) -> Audit:
    """Read the three tables and check them against the attempts."""
    rows = system.query("SELECT request_id, vote_id, voter_id, choice FROM votes")
    current = dict(system.query("SELECT voter_id, vote_id FROM voter_choices"))
    tallies = system.tallies()
    sent = {attempt.request_id: attempt for attempt in attempts}
    accepted = {a.request_id for a in attempts if a.accepted}
    per_request = Counter(str(row[0]) for row in rows)

    problems: list[str] = []
    missing = sorted(accepted - set(per_request))
    extra = sum(n - 1 for n in per_request.values() if n > 1)
    unknown = [row for row in rows if str(row[0]) not in sent]
    _note(problems, missing, "accepted votes have no row")
    _note(problems, [r for r, n in per_request.items() if n > 1], "repeated rows")
    _note(problems, [str(row[1]) for row in unknown], "rows nobody sent")

    latest = _latest_per_voter([row for row in rows if str(row[0]) in sent], sent)
    wrong = [v for v, row in latest.items() if current.get(v) != row[1]]
    strangers = [voter for voter in current if voter not in latest]
    _note(problems, wrong, "voters whose latest vote is not the current one")
    _note(problems, strangers, "current choices of unknown voters")

    expected = Counter(str(row[3]) for row in latest.values())
    options = set(expected) | set(tallies)
    short = sum(max(0, expected[o] - tallies.get(o, 0)) for o in options)
    over = sum(max(0, tallies.get(o, 0) - expected[o]) for o in options)
    if short or over:
        problems.append(f"tallies {tallies} but the votes imply {dict(expected)}")

    return Audit(
        accepted=len(accepted),
        counted=len(accepted & set(per_request)),
        lost=len(missing) + len(wrong) + short,
        duplicated=extra + len(unknown) + len(strangers) + over,
        refused_but_recorded=len(set(per_request) & (set(sent) - accepted)),
        problems=problems,
    )


def _latest_per_voter(
    rows: Sequence[tuple[object, ...]], sent: dict[str, Attempt]
) -> dict[str, tuple[object, ...]]:
    """Return each voter's row of the vote the client sent last."""
    latest: dict[str, tuple[object, ...]] = {}
    for row in sorted(rows, key=lambda row: sent[str(row[0])].sequence):
        latest[str(row[2])] = row
    return latest


def _note(problems: list[str], examples: Sequence[str], what: str) -> None:
    if examples:
        problems.append(f"{len(examples)} {what}, e.g. {', '.join(examples[:3])}")
