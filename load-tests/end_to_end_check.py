"""The closing check of the end-to-end benchmark, and how its figures print.

Only rows whose request id carries the run's prefix are read, so the check
holds on a database that already has votes. The tallies are compared as a
difference from before the run, which is exact only if no one else voted
meanwhile; the report says so when other votes arrived.
"""

import bisect
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import pymysql

DRAIN_TIMEOUT_SECONDS = 180
STALL_SECONDS = 30


@dataclass(frozen=True)
class Cast:
    """One ``POST /vote`` as the client saw it."""

    request_id: str
    sequence: int  # order within its connection, which keeps one voter's cookie
    choice: str
    status: int  # 0: no answer
    latency_ms: float
    answered_at: float  # wall clock, for comparing with the Socket.IO events


class VoteRow(NamedTuple):
    """One row of the votes table that this run sent."""

    request_id: str
    voter_id: str
    choice: str
    tally_us: int  # from cast to recorded, in microseconds
    recorded_at: datetime


@dataclass(frozen=True)
class Snapshot:
    """The tallies and the size of the votes table at one moment."""

    tallies: Counter[str]
    rows: int


@dataclass
class Report:
    """What the accepted votes became, and how long each hop took."""

    accepted: int
    counted: int
    lost: int
    duplicated: int
    tally_ms: list[float]
    browser_ms: list[float]
    problems: list[str] = field(default_factory=list)


def take_snapshot(database: pymysql.Connection) -> Snapshot:
    """Read the tallies and count the votes table."""
    with database.cursor() as cursor:
        cursor.execute("SELECT choice, votes FROM tallies")
        tallies = Counter({str(choice): int(votes) for choice, votes in cursor})
        cursor.execute("SELECT COUNT(*) FROM votes")
        (rows,) = cursor.fetchone() or (0,)
    return Snapshot(tallies, int(rows))


def wait_and_check(
    database: pymysql.Connection,
    before: Snapshot,
    casts: list[Cast],
    events: list[tuple[float, int]],
) -> Report:
    """Wait until the run's votes are recorded, then compare them with the casts."""
    by_request = {cast.request_id: cast for cast in casts}
    accepted = {cast.request_id for cast in casts if cast.status == 200}
    prefix = casts[0].request_id.split("-", 2)
    rows = _wait_for_rows(database, "-".join(prefix[:2]) + "-%", len(accepted))
    after = take_snapshot(database)

    per_request = Counter(row.request_id for row in rows)
    missing = accepted - set(per_request)
    report = Report(
        accepted=len(accepted),
        counted=len(accepted & set(per_request)),
        lost=len(missing),
        duplicated=sum(count - 1 for count in per_request.values()),
        tally_ms=[row.tally_us / 1000 for row in rows if row.request_id in accepted],
        browser_ms=_browser_delays(rows, by_request, events),
    )
    if missing:
        report.problems.append(f"{len(missing)} accepted votes have no row")

    latest = _latest_choice_per_voter(rows, by_request)
    _check_current_choices(database, latest, report)
    _check_tallies(before, after, len(rows), Counter(latest.values()), report)
    return report


def _wait_for_rows(
    database: pymysql.Connection, pattern: str, expected: int
) -> list[VoteRow]:
    """Poll until ``expected`` rows match, or nothing new arrives for a while."""
    query = (
        "SELECT request_id, voter_id, choice,"
        " TIMESTAMPDIFF(MICROSECOND, cast_at, recorded_at), recorded_at"
        " FROM votes WHERE request_id LIKE %s"
    )
    deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
    last_count, last_change = -1, time.monotonic()
    while True:
        with database.cursor() as cursor:
            cursor.execute(query, (pattern,))
            rows = [VoteRow(*row) for row in cursor.fetchall()]
        now = time.monotonic()
        if len(rows) != last_count:
            last_count, last_change = len(rows), now
        if len(rows) >= expected or now > deadline or now - last_change > STALL_SECONDS:
            return rows
        time.sleep(1)


def _latest_choice_per_voter(
    rows: list[VoteRow], by_request: dict[str, Cast]
) -> dict[str, str]:
    """Return the choice each voter sent last, by the order the client sent them."""
    ordered = sorted(rows, key=lambda row: by_request[row.request_id].sequence)
    return {row.voter_id: row.choice for row in ordered}


def _check_current_choices(
    database: pymysql.Connection, latest: dict[str, str], report: Report
) -> None:
    """Every voter's current choice must be the one they sent last."""
    voters = list(latest)
    current: dict[str, str] = {}
    with database.cursor() as cursor:
        for start in range(0, len(voters), 1000):
            chunk = voters[start : start + 1000]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(
                "SELECT voter_id, choice FROM voter_choices"
                f" WHERE voter_id IN ({marks})",
                chunk,
            )
            current.update((str(voter), str(choice)) for voter, choice in cursor)
    wrong = [voter for voter, choice in latest.items() if current.get(voter) != choice]
    if wrong:
        report.lost += len(wrong)
        report.problems.append(
            f"{len(wrong)} voters' current choice is not their last vote"
        )


def _check_tallies(
    before: Snapshot, after: Snapshot, our_rows: int, expected: Counter[str],
    report: Report,
) -> None:  # fmt: skip
    """The tallies must have grown by one per voter, for their last choice."""
    others = after.rows - before.rows - our_rows
    if others:
        report.problems.append(
            f"{others} votes from elsewhere arrived during the run; "
            "the tally comparison below includes them"
        )
    grown = after.tallies - before.tallies
    short = sum((expected - grown).values())
    over = sum((grown - expected).values())
    if short or over:
        report.lost += short if not others else 0
        report.duplicated += over if not others else 0
        report.problems.append(
            f"tallies grew by {dict(grown)}; the votes imply {dict(expected)}"
        )


def _browser_delays(
    rows: list[VoteRow],
    by_request: dict[str, Cast],
    events: list[tuple[float, int]],
) -> list[float]:
    """Time from each new voter's 200 to the first event whose total counts them.

    New voters are ranked by when their row was written; the k-th is shown
    once an event's total is k above the total before the run.
    """
    if not events:
        return []
    first_rows: dict[str, VoteRow] = {}
    for row in sorted(rows, key=lambda row: row.recorded_at):
        first_rows.setdefault(row.voter_id, row)
    arrivals = list(first_rows.values())

    base = events[0][1]
    times: list[float] = []
    highest: list[int] = []
    for at, total in events:
        times.append(at)
        highest.append(max(total - base, highest[-1] if highest else 0))
    delays = []
    for rank, row in enumerate(arrivals, start=1):
        index = bisect.bisect_left(highest, rank)
        cast = by_request[row.request_id]
        if index < len(times) and cast.status == 200:
            delays.append((times[index] - cast.answered_at) * 1000)
    return delays


def percentiles(values: list[float]) -> str:
    """Return p50, p95 and p99 of ``values`` as text."""
    if not values:
        return "no samples"
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return f"p50 {at(0.5):.1f} ms, p95 {at(0.95):.1f} ms, p99 {at(0.99):.1f} ms"


def print_report(report: Report, casts: list[Cast], seconds: float) -> None:
    """Print the figures and the closing check."""
    refused = sum(1 for cast in casts if cast.status not in (0, 200))
    unanswered = sum(1 for cast in casts if cast.status == 0)
    accepted_ms = [cast.latency_ms for cast in casts if cast.status == 200]
    rate = report.accepted / seconds
    print(
        f"accepted         {report.accepted:,} votes in {seconds:.1f} s: "
        f"{rate:,.0f}/s (refused {refused}, no answer {unanswered})"
    )
    print(f"POST /vote       {percentiles(accepted_ms)}")
    print(f"vote -> tally    {percentiles(report.tally_ms)} (all accepted votes)")
    print(
        f"vote -> browser  {percentiles(report.browser_ms)} "
        f"({len(report.browser_ms):,} new voters)"
    )
    for problem in report.problems:
        print(f"problem          {problem}")
    verdict = "PASS" if report.lost == report.duplicated == 0 else "FAIL"
    print(
        f"closing check    {verdict}: {report.accepted:,} accepted, "
        f"{report.counted:,} counted, {report.lost} lost, "
        f"{report.duplicated} counted twice"
    )
