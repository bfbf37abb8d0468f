"""Typed readers for environment variables that fail loudly on bad values.

Every component reads its settings through these helpers so that a typo such
as ``PORT=abc`` stops the process at start-up with one line naming the
variable, instead of surfacing later as a confusing runtime error.
"""

import os
import sys
from collections.abc import Callable, Mapping
from typing import NoReturn, TypeVar

T = TypeVar("T")


class ConfigError(ValueError):
    """A setting from the environment is missing or malformed."""


def env_str(name: str, default: str, env: Mapping[str, str] | None = None) -> str:
    """Return the variable as a string, or the default when unset or empty."""
    value = (os.environ if env is None else env).get(name, "")
    return value.strip() or default


def env_int(
    name: str,
    default: int,
    *,
    minimum: int,
    maximum: int,
    env: Mapping[str, str] | None = None,
) -> int:
    """Return the variable as an integer within ``[minimum, maximum]``."""
    raw = env_str(name, "", env)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigError(
            f"{name} must be between {minimum} and {maximum}, got {value}"
        )
    return value


def env_port(name: str, default: int, env: Mapping[str, str] | None = None) -> int:
    """Return the variable as a TCP port number."""
    return env_int(name, default, minimum=1, maximum=65535, env=env)


def env_bool(name: str, default: bool, env: Mapping[str, str] | None = None) -> bool:
    """Return the variable as a boolean (1/0, true/false, yes/no, on/off)."""
    raw = env_str(name, "", env).lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def load_or_exit(load: Callable[[], T]) -> T:
    """Call a settings loader; on a bad value print one line and exit with 2."""
    try:
        return load()
    except ConfigError as error:
        exit_with_config_error(error)


def exit_with_config_error(error: ConfigError) -> NoReturn:
    """Print a configuration error as a single line and stop the process."""
    print(f"configuration error: {error}", file=sys.stderr)
    raise SystemExit(2)
