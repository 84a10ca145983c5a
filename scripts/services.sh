#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Start, stop and inspect the development servers the portal needs:
# Elasticsearch (es), Keycloak (kc) and PostgreSQL (pg), all on 127.0.0.1.
#
#   scripts/services.sh start|stop|restart|status [es|kc|pg|all]...   (default: all)
#
# See scripts/README.md for the environment variables.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=lib/elasticsearch.sh
. "$here/lib/elasticsearch.sh"
# shellcheck source=lib/keycloak.sh
. "$here/lib/keycloak.sh"
# shellcheck source=lib/postgresql.sh
. "$here/lib/postgresql.sh"

usage() {
  cat >&2 <<'USAGE'
usage: scripts/services.sh start|stop|restart|status [es|kc|pg|all]...
  start    start the servers (idempotent) and wait until they are ready
  stop     stop the servers named by the pid files
  restart  stop, then start
  status   one line per server; exit 0 when all are running and ready,
           1 when one is up but not ready, 3 when one is stopped
USAGE
  exit 2
}

# servers in start order: PostgreSQL is quick, then the two JVMs start side by side
resolve_servers() {
  local a want=" "
  (($#)) || set -- all
  for a in "$@"; do
    case $a in
      all) want+="pg es kc " ;;
      es | elasticsearch) want+="es " ;;
      kc | keycloak) want+="kc " ;;
      pg | postgres | postgresql) want+="pg " ;;
      *) usage ;;
    esac
  done
  SERVERS=()
  for a in pg es kc; do
    [[ $want == *" $a "* ]] && SERVERS+=("$a")
  done
  return 0
}

# one start/stop at a time (two shells starting the same server would clash)
take_lock() {
  init_dirs
  exec 9>"$RUN_DIR/services.lock"
  if ! flock -n 9; then
    log "waiting for another scripts/services.sh to finish..."
    flock -w 900 9 || { warn "error: could not get $RUN_DIR/services.lock"; exit 1; }
  fi
}

do_start() {
  local s rc=0 t0=$SECONDS
  local -A launched=()
  for s in "${SERVERS[@]}"; do
    if "${s}_launch"; then launched[$s]=1; else rc=1; fi
  done
  for s in "${SERVERS[@]}"; do
    [[ -n ${launched[$s]:-} ]] || continue
    "${s}_wait" || rc=1
  done
  if ((rc == 0)); then
    log "all requested servers are ready ($((SECONDS - t0))s)"
  else
    warn "some servers failed to start (see above)"
  fi
  return $rc
}

do_stop() {
  local i rc=0
  for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do
    "${SERVERS[i]}_stop" || rc=1
  done
  return $rc
}

do_status() {
  local s r rc=0
  for s in "${SERVERS[@]}"; do
    r=0
    "${s}_status" || r=$?
    ((r > rc)) && rc=$r
  done
  return $rc
}

main() {
  (($#)) || usage
  local cmd=$1
  shift
  resolve_servers "$@"
  case $cmd in
    start) take_lock && do_start ;;
    stop) take_lock && do_stop ;;
    restart) take_lock && { do_stop || true; } && do_start ;;
    status) do_status ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
