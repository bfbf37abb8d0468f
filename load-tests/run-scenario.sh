#!/usr/bin/env bash
# Run one Locust scenario headless against vote_web and print its figures.
# Usage: load-tests/run-scenario.sh SCENARIO [HOST]   (HOST default http://localhost:5000)
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=${1:?usage: load-tests/run-scenario.sh SCENARIO [HOST]}
host=${2:-${LOAD_HOST:-http://localhost:5000}}
read -r _ users rate run_time < <(grep -E "^$scenario[[:space:]]" load-tests/scenarios.conf) ||
  { echo "unknown scenario '$scenario'; see load-tests/scenarios.conf" >&2; exit 2; }

echo "==> $scenario: $users users (spawn $rate/s) for $run_time against $host"
exec .venv/bin/locust -f load-tests/locustfile.py --headless --host "$host" \
  --users "$users" --spawn-rate "$rate" --run-time "$run_time" \
  --only-summary --exit-code-on-error 1
