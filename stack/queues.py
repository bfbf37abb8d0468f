"""Remove a vote queue from Redis with everything kept beside it.

Tests and benchmarks make a queue of their own each run; kombu keeps a
binding key per queue, vote_web a hash of pending votes and the worker a
dead-letter list, which would otherwise pile up in the Redis they share
with a live stack.
"""

import redis


def delete_queue(client: redis.Redis, queue: str) -> None:
    """Delete the queue, its pending votes, dead letters and kombu's bindings."""
    client.delete(
        queue,
        f"{queue}.pending",
        f"{queue}.dead",
        f"_kombu.binding.{queue}",
        f"_kombu.binding_permanent.{queue}",
    )
