"""The contract floor for the vote_web benchmark: the bare route plus fixed costs.

The vote contract requires, for every vote, a signed voter cookie, the
exporter's and vote_web's own metrics, a request log line and a vote log
line. This route does exactly those, with vote_web's own modules, around the
bare reference's single ``LPUSH``: no validation, no Celery message, no
batching. However cheap those were made, vote_web could not beat this.
"""

import logging
import os
import secrets

import redis
from flask import Flask, request, session

from common import access
from common.logs import configure_logging
from common.settings import load_redis
from vote_web import metrics
from vote_web.sessions import VOTER_COOKIE, ReusedSignerSessionInterface

configure_logging("vote")
app = Flask(__name__)
app.session_interface = ReusedSignerSessionInterface()
app.config.update(SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark"), **VOTER_COOKIE)
metrics.init_app(app)
access.init_app(app)

client = redis.Redis.from_url(load_redis().url)
queue = os.environ.get("VOTE_QUEUE", "votes")
log = logging.getLogger("contract_floor")


@app.post("/vote")
def vote() -> tuple[str, int]:
    """Push the raw body, set the voter cookie, count and log the vote."""
    client.lpush(queue, request.get_data())
    voter_id = session["voter_id"] = secrets.token_urlsafe(16)
    metrics.get_metrics().votes.labels("cats").inc()
    log.info("vote accepted", extra={"voter_id": voter_id})
    return "ok", 200
