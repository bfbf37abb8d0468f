"""Create the voting database and apply ``init.sql``, on any MySQL/MariaDB."""

import re
from pathlib import Path

import pymysql

from common.settings import MysqlSettings

INIT_SQL = Path(__file__).resolve().parent.parent / "init.sql"


def schema_statements(sql: str) -> list[str]:
    """Split a schema file into statements (no ``;`` may appear inside one)."""
    without_comments = re.sub(r"^\s*--.*$", "", sql, flags=re.MULTILINE)
    return [part.strip() for part in without_comments.split(";") if part.strip()]


def init_file_sql(database: str, sql_file: Path = INIT_SQL) -> str:
    """Return SQL that creates the database and its tables, one statement a line.

    The stack's own MariaDB runs it at every start (``--init-file``), so the
    schema exists as soon as the server answers, even when the server starts
    after everything else. Older servers read one statement per line.
    """
    statements = [
        f"CREATE DATABASE IF NOT EXISTS `{database}` "
        "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        f"USE `{database}`",
        *schema_statements(sql_file.read_text()),
    ]
    return "".join(" ".join(statement.split()) + ";\n" for statement in statements)


def connect(settings: MysqlSettings, use_database: bool = True) -> pymysql.Connection:
    """Open an autocommit connection as the configured user.

    ``use_database=False`` connects to the server only, for statements that
    create or drop the database itself.
    """
    return pymysql.connect(
        host=settings.host,
        port=settings.port,
        user=settings.user,
        password=settings.password,
        database=(settings.database or None) if use_database else None,
        connect_timeout=5,
        autocommit=True,
    )


def apply_schema(settings: MysqlSettings, sql_file: Path = INIT_SQL) -> None:
    """Create the database if needed and run every schema statement in it."""
    connection = connect(settings, use_database=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE DATABASE IF NOT EXISTS `{settings.database}` "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            )
            cursor.execute(f"USE `{settings.database}`")
            for statement in schema_statements(sql_file.read_text()):
                cursor.execute(statement)
    finally:
        connection.close()


def create_user(settings: MysqlSettings, admin_socket: Path) -> None:
    """Give the configured user its password and rights, as root over the socket.

    Used only on a server the stack initialised itself, where root logs in
    through the Unix socket without a password.
    """
    connection = pymysql.connect(
        unix_socket=str(admin_socket), user="root", password="", autocommit=True
    )
    user, password = settings.user, settings.password
    try:
        with connection.cursor() as cursor:
            for host in ("localhost", "127.0.0.1", "%"):
                if user == "root" and host == "%":
                    continue
                cursor.execute(
                    "CREATE USER IF NOT EXISTS %s@%s IDENTIFIED BY %s",
                    (user, host, password),
                )
                cursor.execute(
                    "ALTER USER %s@%s IDENTIFIED BY %s", (user, host, password)
                )
                cursor.execute(
                    f"GRANT ALL ON `{settings.database}`.* TO %s@%s", (user, host)
                )
    finally:
        connection.close()
