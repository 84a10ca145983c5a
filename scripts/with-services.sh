#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup and on_signal are called from traps
# Run a command with Elasticsearch, Keycloak and PostgreSQL up, e.g. the test suite:
#
#   scripts/with-services.sh pytest -q
#
# Starts the servers that are not running yet (see services.sh), runs the command,
# then stops only the servers this run started (also on Ctrl-C / TERM), and exits
# with the command's exit status. Servers that were already running stay running.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
services=$here/services.sh

if (($# == 0)); then
  echo "usage: scripts/with-services.sh CMD [ARGS...]" >&2
  exit 2
fi

to_start=() # servers this run starts, hence stops
child=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if ((${#to_start[@]})); then
    "$services" stop "${to_start[@]}" || echo "with-services: warning: could not stop ${to_start[*]}" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT

# TERM/HUP are passed on to the command; Ctrl-C (INT) already reaches it through
# the terminal's process group, so it is not sent a second time.
on_signal() {
  local sig=$1
  if [[ -n $child ]] && kill -0 "$child" 2>/dev/null; then
    [[ $sig == INT ]] || kill "-$sig" "$child" 2>/dev/null
  else
    case $sig in INT) exit 130 ;; HUP) exit 129 ;; *) exit 143 ;; esac
  fi
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

for s in pg es kc; do
  st=0
  "$services" status "$s" >/dev/null 2>&1 || st=$?
  # 3 = stopped; 1 = up but not ready (someone else is starting it): not ours
  ((st == 3)) && to_start+=("$s")
done

# start is idempotent: it says "already running" for the others, and waits for
# one that someone else is still starting
"$services" start || {
  echo "with-services: the servers did not start; not running: $*" >&2
  exit 1
}

# In the background so that signals are handled while it runs; keep its stdin.
"$@" <&0 &
child=$!
while :; do
  wait "$child"
  rc=$?
  kill -0 "$child" 2>/dev/null || break # else wait was interrupted by a signal
done
child=""
exit "$rc"
