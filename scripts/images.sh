#!/usr/bin/env bash
# Build the container images with podman, then prove that each one works:
# start them against this machine's Redis and MariaDB, wait until their own
# HEALTHCHECK passes, cast a vote and read it back from the results API.
# Usage: scripts/images.sh   (a second run reuses podman's layer cache)
#
# Podman keeps its images, settings and logs under .run/podman, so nothing
# here changes the system's container configuration. Containers share the
# host network and use free ports, a database and a queue of their own, so a
# stack already running on this machine is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=$PWD/.run/podman
BASE=docker.io/library/debian:bookworm-slim
HOST_CA=/etc/ssl/certs/ca-certificates.crt
IMAGES=(vote:vote_web worker:worker result:result_web loadgen:loadgen)

: "${REDIS_HOST:=127.0.0.1}" "${REDIS_PORT:=6379}"
: "${MYSQL_HOST:=127.0.0.1}" "${MYSQL_PORT:=3306}" "${MYSQL_USER:=root}"
export MYSQL_PASSWORD=${MYSQL_PASSWORD:-}

RUN_ID=$$
DATABASE=voting_images_$RUN_ID
QUEUE=votes-images-$RUN_ID
PREFIX=voting-images-$RUN_ID
CONTAINERS=()

step() { printf '==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

ensure_tools() {
  local missing=()
  for tool in podman runc debootstrap; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    fail "missing ${missing[*]}: sudo apt-get install ${missing[*]}"
  fi
  step "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# crun, systemd cgroups and the default ulimits all fail on these machines;
# runc, cgroupfs and explicit limits work. Private storage keeps the
# system's image store untouched.
configure_podman() {
  mkdir -p "$SCRATCH"
  cat >"$SCRATCH/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  cat >"$SCRATCH/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$SCRATCH/storage"
runroot = "$SCRATCH/runroot"
EOF
  export CONTAINERS_CONF=$SCRATCH/containers.conf
  export CONTAINERS_STORAGE_CONF=$SCRATCH/storage.conf
}

debian_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -oE '^(URIs:|deb) +[^ ]+/debian/?( |$)' | awk '{print $2; exit}' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# No registry is reachable, so the base image is made from Debian's packages.
ensure_base() {
  podman image exists "$BASE" && return
  step "creating $BASE with debootstrap (once)"
  local rootfs=$SCRATCH/rootfs
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" \
    >"$SCRATCH/debootstrap.log" 2>&1 ||
    fail "debootstrap failed; see $SCRATCH/debootstrap.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar --numeric-owner -C "$rootfs" -c . | podman import --quiet - "$BASE" >/dev/null
  rm -rf "$rootfs"
}

# A digest of everything the builds read, kept as a label: a re-run with
# nothing changed skips podman build, whose cache check alone re-reads the
# whole virtualenv for each image.
inputs_digest() {
  {
    podman image inspect --format '{{.Id}}' "$BASE"
    find docker/*.Dockerfile .dockerignore pyproject.toml constraints.txt \
      common tasks vote_web result_web load-tests/locustfile.py \
      -type f ! -path '*/__pycache__/*' \
      -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-32
}

# The host CA reaches pip through a mount under /dev: the runtime's tmpfs
# there means no trace of the file, not even an empty mount point, is kept
# in a layer. The docker format is needed for HEALTHCHECK to be stored.
build_images() {
  local ca=() digest image name label=voting-app.build-inputs
  [ -f "$HOST_CA" ] && ca=(--volume "$HOST_CA:/dev/host-ca.crt:ro"
    --build-arg PIP_CERT=/dev/host-ca.crt)
  digest=$(inputs_digest)
  for image in "${IMAGES[@]}"; do
    name=${image%%:*}
    if [ "$(podman image inspect --format "{{index .Labels \"$label\"}}" \
      "voting-app/$name" 2>/dev/null)" = "$digest" ]; then
      step "voting-app/$name is up to date"
      continue
    fi
    step "building voting-app/$name"
    podman build --format docker --network=host "${ca[@]}" \
      --label "$label=$digest" --file "docker/${image#*:}.Dockerfile" \
      --tag "voting-app/$name" . >"$SCRATCH/build-$name.log" 2>&1 ||
      { tail -n 30 "$SCRATCH/build-$name.log"; fail "building voting-app/$name"; }
  done
}

sql() { MYSQL_PWD=$MYSQL_PASSWORD mariadb --host="$MYSQL_HOST" \
  --port="$MYSQL_PORT" --user="$MYSQL_USER" --batch "$@"; }

redis() {
  [ -n "${REDIS_PASSWORD:-}" ] && export REDISCLI_AUTH=$REDIS_PASSWORD
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"
}

cleanup() {
  local status=$? name
  if [ "$status" -ne 0 ]; then
    for name in "${CONTAINERS[@]}"; do
      echo "--- last log lines of $name"
      podman logs --tail 15 "$name" 2>&1 || true
    done
  fi
  if [ ${#CONTAINERS[@]} -gt 0 ]; then
    podman rm --force --time 5 "${CONTAINERS[@]}" >/dev/null 2>&1 || true
  fi
  sql --execute "DROP DATABASE IF EXISTS \`$DATABASE\`" 2>/dev/null || true
  # Celery leaves the queue's bindings behind; the lists are empty by now.
  redis DEL "$QUEUE" "$QUEUE.dead" "_kombu.binding.$QUEUE" \
    "_kombu.binding_permanent.$QUEUE" >/dev/null 2>&1 || true
  [ "$status" -eq 0 ] && step "removed the containers and the database"
  exit "$status"
}

free_ports() {
  python3 -c 'import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))'
}

start() { # NAME PORT [PODMAN RUN OPTIONS...] IMAGE [COMMAND...]
  local name=$PREFIX-$1 port=$2
  shift 2
  CONTAINERS+=("$name")
  podman run --detach --name "$name" --network=host --read-only --tmpfs /tmp \
    --cap-drop=ALL --security-opt=no-new-privileges \
    --env HOST=127.0.0.1 --env "PORT=$port" --env REDIS_PASSWORD \
    --env MYSQL_PASSWORD \
    --env "REDIS_HOST=$REDIS_HOST" --env "REDIS_PORT=$REDIS_PORT" \
    --env "MYSQL_HOST=$MYSQL_HOST" --env "MYSQL_PORT=$MYSQL_PORT" \
    --env "MYSQL_USER=$MYSQL_USER" --env "MYSQL_DATABASE=$DATABASE" \
    --env "VOTE_QUEUE=$QUEUE" \
    --env "SOCKETIO_CHANNEL=voting-images-$RUN_ID" \
    --env WEB_CONCURRENCY=1 --env WORKER_CONCURRENCY=1 \
    "$@" >/dev/null 2>>"$SCRATCH/run.log"
}

# podman runs healthchecks from systemd timers, absent here, so poll them.
wait_healthy() {
  local name deadline=$((SECONDS + 90))
  for name in "${CONTAINERS[@]}"; do
    until podman healthcheck run "$name" >/dev/null 2>&1; do
      [ "$(podman inspect --format '{{.State.Running}}' "$name")" = true ] ||
        fail "$name stopped"
      [ "$SECONDS" -lt "$deadline" ] || fail "$name is not healthy after 90 s"
      sleep 1
    done
    step "$name is healthy"
  done
}

check_vote() { # VOTE_PORT RESULT_PORT
  python3 - "$@" <<'EOF'
import json, sys, time, urllib.request

vote_port, result_port = sys.argv[1:]
request = urllib.request.Request(
    f"http://127.0.0.1:{vote_port}/vote",
    data=json.dumps({"vote": "cats"}).encode(),
    headers={"Content-Type": "application/json"},
)
with urllib.request.urlopen(request, timeout=5) as response:
    assert json.load(response)["status"] == "success"
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    url = f"http://127.0.0.1:{result_port}/api/results"
    with urllib.request.urlopen(url, timeout=5) as response:
        if json.load(response)["cats"] >= 1:
            sys.exit(0)
    time.sleep(0.5)
sys.exit("the vote did not reach /api/results within 30 s")
EOF
}

main() {
  ensure_tools
  configure_podman
  exec 9>"$SCRATCH/lock"
  flock --nonblock 9 || fail "another scripts/images.sh is running"
  ensure_base
  build_images

  trap cleanup EXIT
  trap 'exit 130' INT TERM
  step "creating database $DATABASE on $MYSQL_HOST:$MYSQL_PORT"
  sql --execute \
    "CREATE DATABASE \`$DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
  sql "$DATABASE" <init.sql

  local vote_port worker_port result_port flower_port
  read -r vote_port worker_port result_port flower_port < <(free_ports)
  step "starting containers on ports $vote_port $worker_port $result_port $flower_port"
  : >"$SCRATCH/run.log"
  start vote "$vote_port" voting-app/vote
  start worker "$worker_port" voting-app/worker \
    python -m tasks --hostname "$PREFIX@%h"
  start result "$result_port" voting-app/result
  # Flower reuses the worker image; its health endpoint has another path.
  local url=http://127.0.0.1:$flower_port/healthcheck
  local probe="import urllib.request as r; r.urlopen('$url', timeout=2)"
  start flower "$flower_port" --health-cmd "[\"python\", \"-c\", \"$probe\"]" \
    voting-app/worker python -m celery -A tasks.worker flower \
    --port="$flower_port" --address=127.0.0.1
  wait_healthy

  step "casting a vote for cats and reading it back"
  check_vote "$vote_port" "$result_port" || fail "the vote was not counted"

  step "running the load generator for 5 s against the vote container"
  podman run --rm --network=host --read-only --cap-drop=ALL \
    --env "LOCUST_HOST=http://127.0.0.1:$vote_port" --env LOCUST_USERS=2 \
    --env LOCUST_RUN_TIME=5s voting-app/loadgen >"$SCRATCH/loadgen.log" 2>&1 ||
    { tail -n 20 "$SCRATCH/loadgen.log"; fail "the load generator failed"; }
  step "every image works"
}

main "$@"
