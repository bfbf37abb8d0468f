"""The bare reference for the vote_web benchmark: one route, one LPUSH.

This is what the original vote service of this design did per request; the
benchmark serves it with the same gunicorn settings as vote_web, so the
difference between the two is the cost of vote_web's real work.
"""

import os

import redis
from flask import Flask, request

from common.settings import load_redis

app = Flask(__name__)
client = redis.Redis.from_url(load_redis().url)
queue = os.environ.get("VOTE_QUEUE", "votes")


@app.post("/vote")
def vote() -> tuple[str, int]:
    """Push the raw body onto the list and answer 200."""
    client.lpush(queue, request.get_data())
    return "ok", 200
