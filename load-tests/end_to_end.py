"""Drive votes through the running system; time every hop; prove none was lost.

Run it against a stack that ``make up`` started (ports, database and
``.env`` are read the same way), with no one else voting meanwhile::

    .venv/bin/python load-tests/end_to_end.py --seconds 30 --connections 50

Each of the connections votes in a loop. Most votes come from new voters (no
cookie, as API clients send them); one voter per connection keeps its
cookie and changes its mind, so the voter rule is exercised. Figures:

- accepted votes per second and ``POST /vote`` latency, seen by the client;
- vote to tally: ``recorded_at - cast_at`` of every vote, from the database
  (the tally changes in the same transaction);
- vote to browser: from a vote's 200 to the first Socket.IO ``results``
  event that counts its voter, for votes that brought a new voter.

The closing check reads the database: every accepted vote has exactly one
row, each returning voter's current choice is their last accepted vote, and
the tallies grew by exactly what the accepted votes imply.
"""

import argparse
import asyncio
import itertools
import random
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import socketio
from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from end_to_end_check import Cast, print_report, take_snapshot, wait_and_check  # noqa: E402

from stack.database import connect  # noqa: E402
from stack.layout import load_layout  # noqa: E402

RETURNING_SHARE = 0.1
OPTIONS = ("cats", "dogs")


@dataclass
class Run:
    """What the clients saw: every vote cast and every results event."""

    casts: list[Cast]
    events: list[tuple[float, int]]
    seconds: float


async def vote_loop(
    session: aiohttp.ClientSession, url: str, connection: int, deadline: float,
    prefix: str, casts: list[Cast],
) -> None:  # fmt: skip
    """Vote until the deadline, mostly as new voters, sometimes as one returning."""
    rng = random.Random(connection)
    cookie = ""
    for sequence in itertools.count():
        if time.monotonic() >= deadline:
            return
        returning = rng.random() < RETURNING_SHARE
        request_id = f"{prefix}-{connection}-{sequence}"
        headers = {"X-Request-ID": request_id}
        if returning and cookie:
            headers["Cookie"] = cookie
        choice = rng.choice(OPTIONS)
        started = time.perf_counter()
        try:
            async with session.post(url, json={"vote": choice}, headers=headers) as r:
                await r.read()
                status = r.status
                if returning and not cookie and status == 200:
                    cookie = f"voter={r.cookies['voter'].value}"
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        casts.append(
            Cast(
                request_id=request_id,
                sequence=sequence,
                choice=choice,
                status=status,
                latency_ms=(time.perf_counter() - started) * 1000,
                answered_at=time.time(),
            )
        )


async def drive(vote_url: str, result_url: str, connections: int, seconds: int) -> Run:
    """Listen for results, vote from every connection, and return what was seen."""
    events: list[tuple[float, int]] = []
    listener = socketio.AsyncClient(reconnection=True)
    listener.on("results", lambda data: events.append((time.time(), data["total"])))
    await listener.connect(result_url, transports=["websocket"], wait_timeout=10)

    casts: list[Cast] = []
    prefix = f"e2e-{uuid.uuid4().hex[:8]}"
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                vote_loop(session, f"{vote_url}/vote", n, deadline, prefix, casts)
                for n in range(connections)
            )
        )
        elapsed = time.monotonic() - started
    await asyncio.sleep(3)  # the last updates still on their way to the browser
    await listener.disconnect()
    return Run(casts, events, elapsed)


def main() -> int:
    """Measure, wait for the worker to catch up, check, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()

    load_dotenv(ROOT / ".env")
    layout = load_layout()
    vote_url = f"http://127.0.0.1:{layout.vote_port}"
    result_url = f"http://127.0.0.1:{layout.result_port}"
    database = connect(layout.mysql)
    print(
        f"==> {args.connections} connections for {args.seconds} s against "
        f"{vote_url}; results from {result_url}; database {layout.mysql.display}",
        flush=True,
    )
    before = take_snapshot(database)
    run = asyncio.run(drive(vote_url, result_url, args.connections, args.seconds))
    print("==> votes sent; waiting for the worker to record them", flush=True)
    report = wait_and_check(database, before, run.casts, run.events)
    print_report(report, run.casts, run.seconds)
    return 0 if report.lost == report.duplicated == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
