"""Settings from the environment: defaults, and one clear line for a bad value."""

import os
import subprocess
import sys

import pytest

from common.env import ConfigError
from common.settings import load_mysql, load_options, load_redis
from tests.conftest import PROJECT_ROOT


def test_defaults_match_what_users_rely_on() -> None:
    redis = load_redis({})
    mysql = load_mysql({})
    assert (redis.host, redis.port, redis.db, redis.password) == (
        "localhost",
        6379,
        0,
        None,
    )
    assert (mysql.host, mysql.port, mysql.user, mysql.database) == (
        "localhost",
        3306,
        "root",
        "voting",
    )
    assert load_options({}) == ("cats", "dogs")


def test_redis_url_quotes_the_password() -> None:
    redis = load_redis({"REDIS_PASSWORD": "p@ss/word"})
    assert redis.url == "redis://:p%40ss%2Fword@localhost:6379/0"
    assert "p@ss" not in redis.display


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"REDIS_PORT": "-1"}, "REDIS_PORT"),
        ({"REDIS_PORT": "abc"}, "REDIS_PORT"),
        ({"REDIS_DB": "99"}, "REDIS_DB"),
        ({"MYSQL_PORT": "70000"}, "MYSQL_PORT"),
        ({"MYSQL_DATABASE": "x; DROP"}, "MYSQL_DATABASE"),
        ({"VOTE_OPTIONS": "cats"}, "VOTE_OPTIONS"),
        ({"VOTE_OPTIONS": "cats,cats"}, "VOTE_OPTIONS"),
        ({"VOTE_OPTIONS": "cats,total"}, "VOTE_OPTIONS"),
    ],
)
def test_bad_values_name_their_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_redis(env)
        load_mysql(env)
        load_options(env)


@pytest.mark.parametrize(
    ("module", "env", "variable"),
    [
        ("vote_web", {"PORT": "abc"}, "PORT"),
        ("vote_web", {"REDIS_PORT": "-1"}, "REDIS_PORT"),
        ("tasks", {"PORT": "0"}, "PORT"),
        ("tasks", {"MYSQL_PORT": "x"}, "MYSQL_PORT"),
        ("result_web", {"POLL_INTERVAL": "soon"}, "POLL_INTERVAL"),
        ("result_web", {"PORT": "99999"}, "PORT"),
    ],
)
def test_component_stops_at_start_with_one_line(
    module: str, env: dict[str, str], variable: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", module],
        env={**os.environ, **env},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert variable in lines[0]
