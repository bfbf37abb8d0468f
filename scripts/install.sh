#!/usr/bin/env bash
# Install what the project needs, idempotently, showing each step:
#   - Debian packages for the servers the stack may run itself (as root only);
#   - the project virtualenv (.venv) from the pinned constraints.txt.
# Usage: scripts/install.sh [--dev]   (--dev adds the test and lint tools)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=false
[ "${1:-}" = "--dev" ] && dev=true

step() { printf '==> %s\n' "$*"; }

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/sbin/mariadbd ] || command -v mariadbd >/dev/null || missing+=(mariadb-server)
command -v prometheus >/dev/null || missing+=(prometheus)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
if $dev; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v wrk >/dev/null || missing+=(wrk)  # load-tests/vote_web_bench.py
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    step "installing Debian packages: ${missing[*]}"
    # Keep package scripts from starting services: the stack runs its own.
    policy=/usr/sbin/policy-rc.d
    own_policy=false
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=true
    fi
    trap '$own_policy && rm -f "$policy"' EXIT
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  else
    step "not root: skipping Debian packages ${missing[*]}"
    echo "    install them with: sudo apt-get install ${missing[*]}"
  fi
else
  step "Debian packages already present"
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: Python 3.11 or newer is needed; set PYTHON to one" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  step "creating the virtualenv in .venv"
  "$python" -m venv .venv
fi

extra=""
$dev && extra="[dev]"
stamp=".venv/.installed${extra:+-dev}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  step "installing Python packages${extra:+ (with test tools)} into .venv"
  if ! .venv/bin/python -m pip install -q --disable-pip-version-check \
    -c constraints.txt -e ".${extra}" >.venv/install.log 2>&1; then
    tail -n 30 .venv/install.log >&2
    echo "error: pip install failed; the whole log is in .venv/install.log" >&2
    exit 1
  fi
  touch "$stamp"
else
  step "Python packages already installed"
fi
