#!/usr/bin/env bash
# Test of tools/supervise.sh with a real service on port 0: a service killed
# with SIGKILL is reported and comes back SERVING; SIGTERM stops both
# promptly; a supervisor killed with SIGKILL takes its service with it; a
# service that dies at start-up is reported as such.
#
#   tests/supervisor_test.sh SUPERVISOR SERVER_BINARY
#
# Readiness comes from the service's --ready_fd (it writes its port once
# SERVING) through a FIFO the test reads with a timeout: no sleeps.
set -euo pipefail
supervisor=$1 server=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/palermo_supervisor_test.XXXXXX")
sup=
cleanup() {
  [ -n "$sup" ] && kill -TERM "$sup" 2>/dev/null && wait "$sup" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- supervisor's messages:" >&2
  cat "$dir/supervisor.log" >&2 2>/dev/null || true
  exit 1
}

# Reads lines of the FIFO on fd $1 until one matches $2, for at most $3 s.
expect_line() {
  local line end=$((SECONDS + $3))
  while [ "$SECONDS" -lt "$end" ]; do
    IFS= read -r -t "$((end - SECONDS))" -u "$1" line || return 1
    printf '%s\n' "$line" >>"$dir/supervisor.log"
    [[ "$line" =~ $2 ]] && return 0
  done
  return 1
}

# The supervisor's child processes (the service, or its backoff's sleep).
children_of() {
  local kids
  kids=$(<"/proc/$1/task/$1/children")
  kids=${kids% }
  [ -n "$kids" ] && echo "$kids"
}

mkfifo "$dir/ready" "$dir/messages"
exec 7<>"$dir/ready" 8<>"$dir/messages"  # read-write: opening never blocks

# 1. Killed with SIGKILL: reported, restarted, SERVING again; twice, the
# backoff starting again from its initial value after a run counted as
# stable (SUPERVISE_STABLE_MS=0: every run is).
SUPERVISE_BACKOFF_MS=100 SUPERVISE_STABLE_MS=0 "$supervisor" legislation \
  "$dir/legislation.log" -- \
  "$server" --listen=127.0.0.1:0 --data_dir="$dir/data" --ready_fd=7 2>&8 &
sup=$!
read -r -t 30 -u 7 port || fail "the service did not report SERVING"
child=$(children_of "$sup") || fail "no service under the supervisor"
for round in 1 2; do
  kill -KILL "$child"
  expect_line 8 "legislation was killed by signal KILL \(status 137\).*see $dir/legislation.log; restarting in 0.100 s" 30 ||
    fail "death $round was not reported"
  read -r -t 30 -u 7 port2 || fail "the service did not come back SERVING"
  [ "$port2" -gt 0 ] || fail "bad port $port2"
  child2=$(children_of "$sup") || fail "no service after the restart"
  [ "$child2" != "$child" ] || fail "the same process is still there"
  child=$child2
done

# 2. SIGTERM stops the service, then the supervisor, with status 0.
kill -TERM "$sup"
code=0
wait "$sup" || code=$?
sup=
[ "$code" -eq 0 ] || fail "the supervisor exited with $code"
! kill -0 "$child2" 2>/dev/null || fail "the service outlived its supervisor"

# 3. A supervisor killed with SIGKILL takes its service with it: no orphan
# is left holding the port.
"$supervisor" legislation "$dir/legislation.log" -- \
  "$server" --listen=127.0.0.1:0 --data_dir="$dir/data" --ready_fd=7 2>&8 &
sup=$!
read -r -t 30 -u 7 port || fail "the service did not report SERVING"
child=$(children_of "$sup") || fail "no service under the supervisor"
kill -KILL "$sup"
wait "$sup" 2>/dev/null || true
sup=
timeout 30 tail --pid="$child" -f /dev/null ||
  fail "the service outlived a supervisor killed with SIGKILL"

# 4. A service that cannot start is reported as dying at start-up.
SUPERVISE_BACKOFF_MS=100 SUPERVISE_MAX_BACKOFF_MS=200 "$supervisor" \
  legislation "$dir/legislation.log" -- \
  "$server" --listen=not-an-address --data_dir="$dir/data" 2>&8 &
sup=$!
# Backoff: 0.1 s, then doubling, capped at 0.2 s.
for delay in 0.100 0.200 0.200; do
  expect_line 8 "legislation exited with status [1-9][0-9]*.*restarting in $delay s" 30 ||
    fail "the failed start was not reported with a backoff of $delay s"
done
expect_line 8 "legislation keeps dying at start-up: 3 times in a row.*last line: .*not-an-address" 30 ||
  fail "repeated start-up deaths were not reported"
kill -TERM "$sup"
code=0
wait "$sup" || code=$?
sup=
[ "$code" -eq 0 ] || fail "the supervisor exited with $code"
echo "PASS"
