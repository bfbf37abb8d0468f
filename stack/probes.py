"""Cheap checks of whether a server or component answers right now."""

import json
import socket
import urllib.error
import urllib.request

import pymysql
import redis

from common.settings import MysqlSettings, RedisSettings

TIMEOUT_SECONDS = 2


def redis_answers(settings: RedisSettings) -> bool:
    """Return whether Redis answers PING with the configured password."""
    client = redis.Redis(
        host=settings.host,
        port=settings.port,
        password=settings.password,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def mysql_error(settings: MysqlSettings) -> str | None:
    """Return why MySQL refuses the configured credentials, or None if it accepts."""
    try:
        connection = pymysql.connect(
            host=settings.host,
            port=settings.port,
            user=settings.user,
            password=settings.password,
            connect_timeout=TIMEOUT_SECONDS,
        )
    except pymysql.MySQLError as error:
        return str(error)
    connection.close()
    return None


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Return whether something accepts TCP connections on ``host:port``."""
    with socket.socket() as sock:
        sock.settimeout(TIMEOUT_SECONDS)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(url: str) -> tuple[int | None, dict[str, object] | None]:
    """GET ``url``; return the status code and the JSON body if there is one."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.status, _json_or_none(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _json_or_none(error.read())
    except (urllib.error.URLError, OSError):
        return None, None


def _json_or_none(body: bytes) -> dict[str, object] | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
