"""The bare reference for the vote_web benchmark: one route, one LPUSH.

This is what the original vote service of this design did per request; the
benchmark serves it with the same gunicorn settings as vote_web, so the
difference between the two is the cost of vote_web's real work.
"""

import os

import redis
from flask import Flask, request

app = Flask(__name__)
client = redis.Redis(
    host=os.environ.get("REDIS_HOST", "localhost"),
    port=int(os.environ.get("REDIS_PORT", "6379")),
)
queue = os.environ.get("VOTE_QUEUE", "votes")


@app.post("/vote")
def vote() -> tuple[str, int]:
    """Push the raw body onto the list and answer 200."""
    client.lpush(queue, request.get_data())
    return "ok", 200
