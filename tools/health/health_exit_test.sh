#!/usr/bin/env bash
# The palermo-health binary end to end against a real legislation_server
# with a plaintext health port: status 0 for the server's overall health and
# its own service, 1 for an unknown service and for a port nobody serves
# (each saying why on stderr), 2 for a bad argument, naming it.
# Usage: health_exit_test.sh PALERMO_HEALTH LEGISLATION_SERVER
set -uo pipefail
bin=$1 server=$2
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
failed=0
fail() { echo "FAILED: $*"; failed=1; }
expect() {  # status stderr-pattern args...
  local want=$1 pattern=$2 code
  shift 2
  "$bin" "$@" >"$dir/out" 2>"$dir/err"
  code=$?
  if [ "$code" -ne "$want" ] ||
     { [ -n "$pattern" ] && ! grep -q -- "$pattern" "$dir/err"; }; then
    fail "palermo-health $* exited $code (want $want), stderr: $(cat "$dir/err")"
  fi
}
# The server says its ports on --ready_fd once it serves: "P [health:H]".
mkfifo "$dir/ready"
"$server" --listen=127.0.0.1:0 --health_listen=127.0.0.1:0 \
  --data_dir="$dir/data" --ready_fd=3 3>"$dir/ready" 2>"$dir/server.log" &
pid=$!
read -r -t 60 line <"$dir/ready" || { cat "$dir/server.log"; fail "no ready line"; exit 1; }
health=${line##*health:}
[[ "$health" =~ ^[0-9]+$ ]] || { fail "no health port in '$line'"; exit 1; }
expect 0 '' "127.0.0.1:$health"
[ -s "$dir/err" ] && fail "a SERVING answer printed: $(cat "$dir/err")"
expect 0 '' --service=palermo.legislation.v1.LegislationService "127.0.0.1:$health"
expect 1 'palermo.nope' --service=palermo.nope "127.0.0.1:$health"
expect 2 ADDRESS
expect 2 ADDRESS a b
expect 2 -- --timeout=0s "127.0.0.1:$health"
kill "$pid"; wait "$pid"; pid=
# Nobody there any more: no answer within the timeout.
expect 1 "127.0.0.1:$health" --timeout=300ms "127.0.0.1:$health"
[ "$failed" -eq 0 ] && echo "palermo-health: every check passed"
exit "$failed"
