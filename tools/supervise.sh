#!/usr/bin/env bash
# supervise.sh: keeps one Palermo service running; `./palermo up` runs one
# per service.
#
#   tools/supervise.sh NAME LOG -- COMMAND [ARG...]
#
# Runs COMMAND with its stderr appended to LOG. When it exits on its own,
# says so on stderr (which service, its exit status or signal, where its log
# is) and starts it again after a backoff: 0.5 s, doubling up to 30 s, back
# to 0.5 s once a run has lasted 10 s. A service that keeps dying within
# 10 s of its start is reported as such at each restart from the third one
# in a row. SIGTERM or SIGINT stops the service (SIGTERM, then waiting for
# it) and then the supervisor, with status 0.
#
# Environment (for tests): SUPERVISE_BACKOFF_MS (500), SUPERVISE_MAX_BACKOFF_MS
# (30000), SUPERVISE_STABLE_MS (10000).
set -uo pipefail
# Job control: the service gets its own process group, so that a Ctrl-C at
# the terminal reaches `./palermo up`, which stops everything in order, and
# not the service directly (it would exit and be restarted).
set -m

if [ "$#" -lt 4 ] || [ "$3" != "--" ]; then
  echo "usage: $0 NAME LOG -- COMMAND [ARG...]" >&2
  exit 2
fi
name=$1 log=$2
shift 3

initial_ms=${SUPERVISE_BACKOFF_MS:-500}
max_ms=${SUPERVISE_MAX_BACKOFF_MS:-30000}
stable_ms=${SUPERVISE_STABLE_MS:-10000}

say() { printf '\033[1mpalermo:\033[0m %s\n' "$*" >&2; }
now_ms() { echo $((${EPOCHREALTIME//[!0-9]/} / 1000)); }

child=
stopping=
# Every job (the service, or the backoff's sleep), even one started just
# before the signal and not yet in $child.
stop() {
  stopping=1
  # shellcheck disable=SC2046
  kill -TERM $(jobs -p) 2>/dev/null
  wait 2>/dev/null
  exit 0
}
trap stop TERM INT

# How a child ended, from the status `wait` gave.
describe() {
  if [ "$1" -gt 128 ]; then
    echo "was killed by signal $(kill -l "$(($1 - 128))") (status $1)"
  else
    echo "exited with status $1"
  fi
}

backoff_ms=$initial_ms
quick_deaths=0
while :; do
  started=$(now_ms)
  # The service dies with its supervisor, even one killed with SIGKILL: no
  # orphan is left holding the port (setpriv is util-linux, always there).
  setpriv --pdeathsig TERM -- "$@" 2>>"$log" &
  child=$!
  # `wait` returns early when a signal's trap runs; stop() then exits.
  wait "$child" 2>/dev/null  # its death is reported below, not by bash
  status=$?
  child=
  [ -n "$stopping" ] && exit 0
  lived_ms=$(($(now_ms) - started))
  if [ "$lived_ms" -ge "$stable_ms" ]; then
    backoff_ms=$initial_ms
    quick_deaths=0
  else
    quick_deaths=$((quick_deaths + 1))
  fi
  delay=$(printf '%d.%03d' $((backoff_ms / 1000)) $((backoff_ms % 1000)))
  say "$name $(describe "$status") after $((lived_ms / 1000)).$(printf '%03d' $((lived_ms % 1000))) s; see $log; restarting in $delay s"
  if [ "$quick_deaths" -ge 3 ]; then
    say "$name keeps dying at start-up: $quick_deaths times in a row within $((stable_ms / 1000)) s of starting; its log's last line: $(tail -n 1 "$log" 2>/dev/null)"
  fi
  sleep "$delay" &
  child=$!
  wait "$child"
  child=
  [ -n "$stopping" ] && exit 0
  backoff_ms=$((backoff_ms * 2 > max_ms ? max_ms : backoff_ms * 2))
done
