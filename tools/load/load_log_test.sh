#!/usr/bin/env bash
# palermo-load's log end to end: with --log_format=json every line it writes
# to standard error is a JSON object (message, level, time, "service":
# "load"), gRPC's own messages included, and standard output stays empty;
# with the default text format its lines stay readable; a bad --log_format
# or --log_level ends it with status 2 naming the flag. Its target is a real
# process that is no gRPC server (a TCP listener on a free port answering
# HTTP/1.1), so the loader waits for it in vain: status 1, naming it.
# Usage: load_log_test.sh PALERMO_LOAD MAKE_DEV_CERTS
set -uo pipefail
bin=$1
make_dev_certs=$2
dir=$(mktemp -d)
not_grpc=
trap '[ -n "$not_grpc" ] && kill "$not_grpc"; rm -rf "$dir"' EXIT
"$make_dev_certs" "$dir/certs" >/dev/null 2>&1 || { echo "make-dev-certs failed"; exit 1; }

# The listener prints its port once it listens: read, not slept for.
coproc LISTENER {
  exec python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    try:
        c.recv(4096)
        c.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    except OSError:
        pass
    c.close()
'
}
not_grpc=$LISTENER_PID
read -r port <&"${LISTENER[0]}" || { echo "the listener did not start"; exit 1; }
target=127.0.0.1:$port

failed=0
fail() { echo "FAILED: $*"; failed=1; }

# Every line of $1 a JSON object of the loader's log; $2 must be in one
# line's message.
check_json_log() {
  python3 - "$1" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
if not lines:
    sys.exit("nothing logged")
found = False
for line in lines:
    try:
        o = json.loads(line)
    except ValueError:
        sys.exit("not JSON: " + line)
    if not isinstance(o, dict) or o.get("service") != "load" or not all(
            isinstance(o.get(k), str) for k in ("message", "level", "time")):
        sys.exit("not a log object of the loader: " + line)
    found = found or sys.argv[2] in o["message"]
if not found:
    sys.exit("no message has " + repr(sys.argv[2]))
PY
}

# run NAME ARGS...: runs the loader, stdout to $dir/NAME.out, stderr to
# $dir/NAME.err; its status in $code.
run() {
  local name=$1
  shift
  "$bin" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
  code=$?
}

# Plaintext: the listener answers no HTTP/2.
run plain --log_format=json --target="$target" --plaintext_target \
  --wait_timeout=1s
[ "$code" -eq 1 ] || fail "plaintext, json: status $code, not 1"
[ -s "$dir/plain.out" ] && fail "plaintext, json: wrote to stdout: $(cat "$dir/plain.out")"
check_json_log "$dir/plain.err" "$target is not SERVING" ||
  fail "plaintext, json: $(cat "$dir/plain.err")"

# Mutual TLS: the handshake fails, and gRPC says so, in the same log.
certs=$dir/certs
tls=(--tls_ca_file="$certs/ca.crt" --tls_client_cert_file="$certs/loader.crt"
     --tls_client_key_file="$certs/loader.key")
run tls --log_format=json --target="$target" "${tls[@]}" --wait_timeout=1s
[ "$code" -eq 1 ] || fail "TLS, json: status $code, not 1"
[ -s "$dir/tls.out" ] && fail "TLS, json: wrote to stdout: $(cat "$dir/tls.out")"
check_json_log "$dir/tls.err" "Handshake failed" ||
  fail "TLS, json: gRPC's message is not in the log: $(cat "$dir/tls.err")"
check_json_log "$dir/tls.err" "$target is not SERVING" ||
  fail "TLS, json: $(cat "$dir/tls.err")"

# A bad TLS configuration: status 2, said in JSON, naming the flag.
run badtls --log_format=json --target="$target" \
  --tls_client_cert_file="$certs/loader.crt"
[ "$code" -eq 2 ] || fail "bad TLS flags: status $code, not 2"
check_json_log "$dir/badtls.err" "--tls_client_key_file is required" ||
  fail "bad TLS flags: $(cat "$dir/badtls.err")"

# Text, the default: readable lines, the address and the reason.
run text --target="$target" --plaintext_target --wait_timeout=1s
[ "$code" -eq 1 ] || fail "text: status $code, not 1"
grep -Eq "^[0-9-]+T[0-9:.]+Z error \[load\] $target is not SERVING: " \
  "$dir/text.err" || fail "text: $(cat "$dir/text.err")"
[ -s "$dir/text.out" ] && fail "text: wrote to stdout: $(cat "$dir/text.out")"

# Bad logging flags: status 2 naming the flag, before anything else.
for bad in --log_format=xml --log_level=loud; do
  run bad "$bad" --target="$target" --plaintext_target
  flag=${bad%%=*}
  if [ "$code" -ne 2 ] || ! grep -q -- "$flag" "$dir/bad.err" || [ -s "$dir/bad.out" ]; then
    fail "$bad: status $code, stderr: $(cat "$dir/bad.err")"
  fi
done

[ "$failed" -eq 0 ] && echo "palermo-load log: every check passed"
exit "$failed"
