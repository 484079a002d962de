#!/usr/bin/env bash
# The palermo-token binary end to end: each bad argument ends it with
# status 2 and a message naming the argument; a good one prints a token of
# three base64url segments. Usage: token_exit_test.sh PALERMO_TOKEN
set -uo pipefail
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
  -out "$dir/jwt-dev.key" 2>/dev/null || { echo "openssl failed"; exit 1; }
failed=0
expect_usage_error() {  # named-argument args...
  local named=$1 code
  shift
  "$bin" "$@" >"$dir/out" 2>"$dir/err"
  code=$?
  if [ "$code" -ne 2 ] || ! grep -q -- "$named" "$dir/err" || [ -s "$dir/out" ]; then
    echo "FAILED: palermo-token $* exited $code, stderr: $(cat "$dir/err")"
    failed=1
  fi
}
key=--key_file=$dir/jwt-dev.key
expect_usage_error --role --role nope "$key"
expect_usage_error --entity --role focal_point "$key"
expect_usage_error --ttl --role analyst --ttl soon "$key"
expect_usage_error --key_file --role analyst
"$bin" --role analyst --key_file "$dir/no-such.key" >/dev/null 2>"$dir/err"
[ $? -eq 1 ] && grep -q -- --key_file "$dir/err" ||
  { echo "FAILED: a missing key file is not status 1 naming --key_file"; failed=1; }
token=$("$bin" --role focal_point --entity countries/EST --ttl 10m "$key") ||
  { echo "FAILED: a good request exited $?"; failed=1; }
[[ "$token" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] ||
  { echo "FAILED: not a compact JWS: $token"; failed=1; }
[ "$failed" -eq 0 ] && echo "palermo-token: every check passed"
exit "$failed"
