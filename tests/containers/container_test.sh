#!/usr/bin/env bash
# The containerised suite, end to end (./palermo test runs it after CTest):
# builds every image from this checkout (docker/build-images), then
#   compose.yaml (SQLite): starts the stack, waits for the loader to load the
#     reference dataset, reads a country profile and the report through the
#     gateway's published port; checks the containers run as 10001 on a
#     read-only root filesystem and log JSON; kills a backend (SIGKILL) and
#     sees its restart policy bring it back with the profile complete; stops
#     one and sees the profile partial, then complete once it is started;
#     stops one with SIGTERM and sees it exit cleanly within its grace;
#   compose.postgres.yaml: two replicas of every domain service on one
#     PostgreSQL: reads through the gateway are answered by both replicas of
#     the legislation service (palermo-served-by), and eight readers calling
#     while one replica is killed see no failed call.
# It starts dockerd itself when none runs (docker/dockerd) and stops it at
# the end. Nothing is skipped: when containers cannot run here, it fails
# saying why. Usage: container_test.sh BUILD_DIR
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(realpath "${1:?usage: container_test.sh BUILD_DIR}")
BUF=$ROOT/.tools/node_modules/.bin/buf
. "$ROOT/docker/lib.sh"
COMPOSE_DIR=$ROOT/deploy/compose
work=$(mktemp -d /var/tmp/palermo-containers.XXXXXX)
passed=0 failed=0 projects=() dockerd_pid=

say() { printf 'container_test: %s\n' "$*"; }
pass() { passed=$((passed + 1)); say "PASS $*"; }
fail() { failed=$((failed + 1)); say "FAIL $*"; }
# A failure after which the rest cannot run.
fatal() { fail "$*"; exit 1; }

cleanup() {
  local p
  for p in "${projects[@]}"; do
    docker-compose -p "$p" -f "$COMPOSE_DIR/compose.yaml" \
      -f "$COMPOSE_DIR/compose.postgres.yaml" down -v --remove-orphans >/dev/null 2>&1
  done
  if [ -n "$dockerd_pid" ] && kill "$dockerd_pid" 2>/dev/null; then
    # Not this shell's child (docker/dockerd started it): wait for its end.
    timeout 30 tail --pid="$dockerd_pid" -f /dev/null
  fi
  rm -rf "$work"
  say "$passed passed, $failed failed"
}
trap cleanup EXIT
# A test ended by a signal cleans up too (the EXIT trap alone would not run).
trap 'exit 143' TERM INT

# Calls COMMAND (a call to the stack, which takes its own time) again until
# it succeeds, for at most SECONDS.
retry_until() {  # seconds command...
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
  done
}

# Waits for Docker to report CONTAINER healthy after SINCE (a Unix time with
# nanoseconds): its health_status events, as they come, for at most 90 s.
wait_healthy() {  # container since
  grep -m1 -qx 'health_status: healthy' < <(timeout 90 "$DOCKER" events \
    --since "$2" --filter "container=$1" --filter event=health_status \
    --format '{{.Status}}')
}

# --- The daemon and the images -------------------------------------------
command -v docker-compose >/dev/null ||
  fatal "docker-compose is not installed (Debian: docker-compose)"
dockerd_pid=$("$ROOT/docker/dockerd" "$work/dockerd.log") ||
  fatal "no Docker daemon can run here (see above)"
[ -x "$BUF" ] || fatal "buf is not installed in .tools (./palermo build installs it)"
say "building the images"
tag=$("$ROOT/docker/build-images") || fatal "docker/build-images failed"
export PALERMO_TAG=$tag PALERMO_SECRETS=$work/secrets
# Published on a port of the kernel's choosing, found with `compose port`.
export PALERMO_GATEWAY_PORT=127.0.0.1:0
"$COMPOSE_DIR/make-secrets" "$PALERMO_SECRETS" >/dev/null ||
  fatal "deploy/compose/make-secrets failed"
pass "images palermo/*:$tag built, secrets made"
# Stacks an earlier run left behind (killed before its clean-up): removed.
for stale in $("$DOCKER" ps -a --format '{{.Label "com.docker.compose.project"}}' |
               grep '^palermo-test-' | sort -u); do
  projects+=("$stale")
done

# --- Helpers on a running stack --------------------------------------------
project= files=() port=
compose() { docker-compose -p "$project" "${files[@]}" "$@"; }
container_of() { compose ps -q "$1" | head -1; }
health_of() { "$DOCKER" inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null; }
# call METHOD JSON: a call through the gateway's published port.
call() {
  "$BUF" curl --protocol grpc --http2-prior-knowledge --timeout 20s -d "$2" \
    "http://127.0.0.1:$port/$1"
}
profile() { call palermo.gateway.v1.GatewayService/GetCountryProfile '{"name":"countries/EST"}'; }
# The profile of Estonia is complete: its legislation, its measures, and
# no section omitted (it has no enforcement figures in the reference data).
profile_is_complete() {
  profile >"$work/profile.json" 2>"$work/profile.err" &&
    python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
sys.exit(0 if not p.get("omittedSections") and p.get("legislation")
         and p.get("assistanceMeasures") else 1)
' "$work/profile.json"
}
# ... or partial: the section of SERVICE omitted, as unavailable (code 14).
profile_omits() {  # service
  profile >"$work/profile.json" 2>"$work/profile.err" &&
    python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
section = "PROFILE_SECTION_" + sys.argv[2].upper()
sys.exit(0 if any(s.get("section") == section and s.get("code") == 14
                  for s in p.get("omittedSections", [])) else 1)
' "$work/profile.json" "$1"
}
# Starts the stack of `files` as `project` and waits for the loader's end.
start_stack() {
  projects+=("$project")
  compose up -d >"$work/$project.up.log" 2>&1 ||
    { cat "$work/$project.up.log"; compose logs --no-color | tail -50; return 1; }
  local load code
  load=$(container_of load)
  [ -n "$load" ] || { say "no loader container"; return 1; }
  code=$("$DOCKER" wait "$load")
  if [ "$code" != 0 ]; then
    "$DOCKER" logs "$load" 2>&1 | tail -30
    say "the loader exited with status $code"
    return 1
  fi
  port=$(compose port gateway 50051 | sed 's/.*://')
  [[ "$port" =~ ^[0-9]+$ ]] || { say "no published gateway port"; return 1; }
}

# --- compose.yaml: the suite on SQLite -------------------------------------
project=palermo-test-sqlite-$$
files=(-f "$COMPOSE_DIR/compose.yaml")
start_stack || fatal "the SQLite stack did not start and load"
pass "compose.yaml: started, reference data loaded through the gateway"

if profile_is_complete; then
  pass "profile of countries/EST read through the published port, complete"
else
  fail "profile of countries/EST: $(head -c 400 "$work/profile.err" "$work/profile.json")"
fi

if "$BUILD/tools/report/palermo-report" --target="127.0.0.1:$port" \
    --out_dir="$work/report" >"$work/report.log" 2>&1 &&
   grep -q "Estonie" "$work/report/E-CN.15-2008-6.fr.md" &&
   grep -q "Estonia" "$work/report/E-CN.15-2008-6.en.md"; then
  pass "report E/CN.15/2008/6 generated through the gateway (French and English)"
else
  fail "report: $(tail -5 "$work/report.log")"
fi

# Every container (the loader's too): its user, its root filesystem, its
# published ports (the gateway's 50051 alone), and which keys it can read
# (its own only).
bad=
for id in $(compose ps -q -a); do
  name=$("$DOCKER" inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id")
  user=$("$DOCKER" inspect -f '{{.Config.User}}' "$id")
  readonly_root=$("$DOCKER" inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$id")
  published=$("$DOCKER" inspect -f '{{range $p, $b := .HostConfig.PortBindings}}{{$p}} {{end}}' "$id")
  keys=$("$DOCKER" inspect -f '{{range .Mounts}}{{.Source}} {{end}}' "$id" |
         tr ' ' '\n' | sed -n 's|.*/\([^/]*\)\.key$|\1|p' | tr '\n' ' ')
  want_published=
  [ "$name" = gateway ] && want_published="50051/tcp "
  want_key=$name
  [ "$name" = load ] && want_key=loader
  [ "$user" = 10001:10001 ] || bad+=" $name runs as '$user';"
  [ "$readonly_root" = true ] || bad+=" $name has a writable root;"
  [ "$published" = "$want_published" ] || bad+=" $name publishes '$published';"
  [ "$keys" = "$want_key " ] || bad+=" $name mounts keys '$keys';"
done
if [ -z "$bad" ]; then
  pass "every container runs as 10001:10001 on a read-only root, mounts its own key only, and only the gateway publishes a port"
else
  fail "containers:$bad"
fi
legislation=$(container_of legislation)
if "$DOCKER" logs "$legislation" 2>&1 | python3 -c '
import json, sys
lines = [l for l in sys.stdin if l.strip()]
for l in lines: json.loads(l)
sys.exit(0 if lines else 1)'; then
  pass "the legislation service logs one JSON object a line"
else
  fail "legislation logs are not JSON lines: $("$DOCKER" logs "$legislation" 2>&1 | head -3)"
fi

# kill_process CONTAINER: SIGKILL to its process from outside, as a crash
# or the kernel's OOM killer would end it (`docker kill` would count as a
# manual stop, which restart policies leave alone).
kill_process() {
  local pid
  pid=$("$DOCKER" inspect -f '{{.State.Pid}}' "$1")
  # 0 for a container that is not running: `kill 0` would end this test.
  [ "$pid" -gt 0 ] && kill -KILL "$pid"
}

# A backend that dies is brought back by its restart policy.
enforcement=$(container_of enforcement)
restarts=$("$DOCKER" inspect -f '{{.RestartCount}}' "$enforcement")
since=$(date +%s.%N)
kill_process "$enforcement"
if wait_healthy "$enforcement" "$since" &&
   [ "$("$DOCKER" inspect -f '{{.RestartCount}}' "$enforcement")" -gt "$restarts" ] &&
   retry_until 30 profile_is_complete; then
  pass "enforcement killed (SIGKILL): restarted by its policy, the profile complete again"
else
  fail "enforcement after SIGKILL: health $(health_of "$enforcement"), profile $(head -c 300 "$work/profile.json")"
fi

# While a backend is down the profile is partial, naming it; complete again
# once it is back.
compose stop enforcement >/dev/null 2>&1
if profile_omits enforcement; then
  pass "enforcement stopped: the profile is partial and names it"
else
  fail "enforcement stopped: the profile does not name it: $(head -c 400 "$work/profile.json" "$work/profile.err")"
fi
since=$(date +%s.%N)
compose start enforcement >/dev/null 2>&1
if wait_healthy "$enforcement" "$since" && retry_until 30 profile_is_complete; then
  pass "enforcement started again: the profile is complete"
else
  fail "enforcement restarted: health $(health_of "$enforcement"), profile $(head -c 300 "$work/profile.json")"
fi

# SIGTERM: the service ends its calls and exits 0 within its grace.
coordination=$(container_of coordination)
start=$SECONDS
"$DOCKER" stop -t 15 "$coordination" >/dev/null
code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$coordination")
if [ "$code" = 0 ] && [ $((SECONDS - start)) -lt 15 ] &&
   "$DOCKER" logs "$coordination" 2>&1 | grep -q 'shutting down'; then
  pass "coordination stopped with SIGTERM: exit 0 in $((SECONDS - start)) s"
else
  fail "coordination after SIGTERM: exit $code after $((SECONDS - start)) s"
fi
compose down -v >/dev/null 2>&1

# --- compose.postgres.yaml: two replicas of each service ---------------------
project=palermo-test-postgres-$$
files=(-f "$COMPOSE_DIR/compose.yaml" -f "$COMPOSE_DIR/compose.postgres.yaml")
start_stack || fatal "the PostgreSQL stack did not start and load"
mapfile -t replicas < <(compose ps -q legislation)
if [ "${#replicas[@]}" -eq 2 ]; then
  pass "compose.postgres.yaml: started with two legislation replicas, data loaded"
else
  fatal "compose.postgres.yaml: ${#replicas[@]} legislation replicas"
fi
declare -A host_of
for r in "${replicas[@]}"; do
  host_of[$("$DOCKER" inspect -f '{{.Config.Hostname}}' "$r")]=$r
done

# read N OUT [STARTED]: N reads of the legislation service through the
# gateway, one line each in OUT: "ok <replica host>" or "FAIL <message>";
# after the 10th, a line to the fifo STARTED.
read_legislation() {
  local i out
  for ((i = 0; i < $1; i++)); do
    [ "$i" = 10 ] && [ -n "${3:-}" ] && echo "$2" >"$3"
    if out=$("$BUF" curl --protocol grpc --http2-prior-knowledge --timeout 20s -v \
        -d '{"pageSize":1}' \
        "http://127.0.0.1:$port/palermo.legislation.v1.LegislationService/ListLegislations" 2>&1); then
      # buf -v prints the trailer as "buf: < (#3) Palermo-Served-By: host:port".
      echo "ok $(grep -i -o -m1 'palermo-served-by: [^:]*' <<<"$out" | cut -d' ' -f2)"
    else
      echo "FAIL $(tr '\n' ' ' <<<"$out" | tail -c 300)"
    fi
  done >>"$2"
}
read_legislation 40 "$work/spread"
seen=$(awk '$1 == "ok" { print $2 }' "$work/spread" | sort -u | tr '\n' ' ')
both=1
for h in "${!host_of[@]}"; do
  grep -q "^ok $h\$" "$work/spread" || both=0
done
if [ "$both" = 1 ] && ! grep -q '^FAIL' "$work/spread"; then
  pass "40 reads through the gateway answered by both replicas ($seen)"
else
  fail "reads were answered by '$seen', replicas ${!host_of[*]}: $(grep -m3 FAIL "$work/spread")"
fi

# Eight readers call while one replica is killed: no call fails.
victim=${replicas[0]}
readers=()
mkfifo "$work/started"
exec 3<>"$work/started"  # held open both ways: the readers' writes never block
for k in 1 2 3 4 5 6 7 8; do
  : >"$work/reader$k"
  read_legislation 40 "$work/reader$k" "$work/started" &
  readers+=($!)
done
# Every reader has made 10 calls, and goes on: now the kill.
for k in 1 2 3 4 5 6 7 8; do
  read -r -t 120 -u 3 _ || { fail "the readers did not start"; break; }
done
kill_process "$victim"
killed_at=$(cat "$work"/reader* | wc -l)
wait "${readers[@]}"
total=$(cat "$work"/reader* | wc -l)
failures=$(cat "$work"/reader* | grep -c '^FAIL')
if [ "$failures" -eq 0 ] && [ "$total" -eq 320 ]; then
  pass "replica ${victim:0:12} killed after $killed_at of $total reads: no call failed"
else
  fail "$failures of $total reads failed after killing a replica: $(cat "$work"/reader* | grep -m3 FAIL)"
fi

[ "$failed" -eq 0 ]
