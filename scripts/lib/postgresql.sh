# shellcheck shell=bash
# PostgreSQL from Debian's package, as a private cluster in the cache dir (never
# the system cluster), on loopback only.

PG_PORT=${PG_PORT:-5432}
PG_START_TIMEOUT=${PG_START_TIMEOUT:-60}
PG_STOP_TIMEOUT=${PG_STOP_TIMEOUT:-60}
# DEVELOPMENT-ONLY application role and its databases.
PG_APP_USER=${PG_APP_USER:-portal}
PG_APP_PASSWORD=${PG_APP_PASSWORD:-portal}
PG_DATABASES=${PG_DATABASES:-portal portal_test}
PG_SOCKET_DIR=$RUN_DIR/postgresql
PG_PIDFILE=$PG_SOCKET_DIR/postgresql.pid
PG_LOG=$LOG_DIR/postgresql.log
PG_NO_MAIN_CLUSTER_CONF=/etc/postgresql-common/createcluster.d/90-portal-no-main-cluster.conf

pg_user() { if is_root; then echo postgres; else id -un; fi; }

# pg_bindir: the newest /usr/lib/postgresql/<major>/bin that has initdb
pg_bindir() {
  local d
  d=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
  [[ -n $d ]] || return 1
  dirname "$d"
}

# pg_install: apt-get install postgresql, without letting the package create (and
# start) the system cluster "main" on port 5432.
pg_install() {
  is_root || { fail postgresql "PostgreSQL is not installed; run this script as root once or: sudo apt-get install postgresql"; return 1; }
  if [[ ! -f $PG_NO_MAIN_CLUSTER_CONF ]]; then
    mkdir -p "$(dirname "$PG_NO_MAIN_CLUSTER_CONF")"
    printf '%s\n' "# Written by the portal's scripts/services.sh: the portal runs its own" \
      "# PostgreSQL cluster; do not create a system cluster when the package is installed." \
      "create_main_cluster = false" >"$PG_NO_MAIN_CLUSTER_CONF"
  fi
  log "postgresql: installing Debian's postgresql package (apt-get)"
  apt_install postgresql >"$LOG_DIR/apt-postgresql.log" 2>&1 9>&- || {
    fail postgresql "apt-get install postgresql failed; see $LOG_DIR/apt-postgresql.log"
    show_log_tail "$LOG_DIR/apt-postgresql.log"
    return 1
  }
}

pg_pid() { live_pid "$PG_PIDFILE" "$CACHE_DIR/pg/"; }
pg_alive() { pg_pid >/dev/null; }

pg_healthy() {
  local bin
  bin=$(pg_bindir) || return 1
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1
}

# pg_psql ARGS...: psql as the cluster's superuser over the unix socket
pg_psql() {
  local user
  user=$(pg_user)
  (cd / && as_user "$user" "$(pg_bindir)/psql" -X -q -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U "$user" -d postgres "$@")
}

# pg_setup_app: the application role and databases (idempotent)
pg_setup_app() {
  pg_psql -v ON_ERROR_STOP=1 -v u="$PG_APP_USER" -v p="$PG_APP_PASSWORD" -v dbs="$PG_DATABASES" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'u')
  FROM unnest(string_to_array(:'dbs', ' ')) AS d
 WHERE d <> '' AND NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
SQL
}

pg_launch() {
  local pid bin major data user out
  PG_LAUNCH=0
  if pid=$(pg_pid); then
    if pg_healthy; then
      log "postgresql: already running (pid $pid, 127.0.0.1:$PG_PORT)"
      return 0
    fi
    log "postgresql: process $pid is up but not ready yet; waiting for it"
    PG_LAUNCH=1 PG_T0=$SECONDS
    return 0
  fi
  bin=$(pg_bindir) || { pg_install && bin=$(pg_bindir); } || { fail postgresql "no initdb under /usr/lib/postgresql/*/bin"; return 1; }
  require_free_ports postgresql "PG_PORT=$PG_PORT" || {
    if command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p && $4 == "online"' | grep -q .; then
      warn "    it is a Debian system cluster: $(pg_lsclusters -h | awk -v p="$PG_PORT" '$3 == p { print "pg_ctlcluster " $1 " " $2 " stop" }' | head -n 1) frees the port"
    fi
    return 1
  }
  major=$(basename "$(dirname "$bin")")
  data=$CACHE_DIR/pg/$major/data
  user=$(pg_user)
  mkdir -p "$CACHE_DIR/pg/$major" "$PG_SOCKET_DIR"
  if is_root; then
    chown "$user:" "$CACHE_DIR/pg" "$CACHE_DIR/pg/$major" "$PG_SOCKET_DIR"
    ensure_traverse "$user" "$CACHE_DIR/pg/$major" || return 1
  fi
  rotate_log "$PG_LOG" "$user"
  if [[ ! -f $data/PG_VERSION ]]; then
    log "postgresql: creating a private cluster in $data"
    rm -rf "$data"
    out=$(cd / && as_user "$user" "$bin/initdb" -D "$data" -U "$user" -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 2>&1) || {
      printf '%s\n' "$out" >>"$PG_LOG"
      fail postgresql "initdb failed; log: $PG_LOG"
      show_log_tail "$PG_LOG"
      return 1
    }
    printf '%s\n' "include_if_exists = 'portal.conf'" >>"$data/postgresql.conf"
  fi
  # rewritten at every start so that PG_PORT etc. take effect
  printf '%s\n' "# Written by scripts/services.sh at every start; edit the script, not this file." \
    "listen_addresses = '127.0.0.1'" \
    "port = $PG_PORT" \
    "unix_socket_directories = '$PG_SOCKET_DIR'" \
    "external_pid_file = '$PG_PIDFILE'" >"$data/portal.conf"
  is_root && chown "$user:" "$data/portal.conf"
  log "postgresql: starting (PostgreSQL $major, user $user, log: $PG_LOG)"
  PG_T0=$SECONDS
  out=$(cd / && as_user "$user" "$bin/pg_ctl" -D "$data" -l "$PG_LOG" -w -t "$PG_START_TIMEOUT" start 2>&1 9>&-) || {
    fail postgresql "pg_ctl start failed ($(tail -n 1 <<<"$out")); log: $PG_LOG"
    show_log_tail "$PG_LOG"
    return 1
  }
  # PostgreSQL is up within seconds: finish here, before the JVMs are launched
  PG_LAUNCH=1
  pg_wait || return 1
  PG_LAUNCH=0
}

pg_wait() {
  ((${PG_LAUNCH:-0})) || return 0
  wait_ready postgresql "$PG_START_TIMEOUT" "$PG_T0" pg_healthy pg_alive "$PG_LOG" || return 1
  pg_setup_app || { fail postgresql "could not create role $PG_APP_USER / databases $PG_DATABASES"; return 1; }
  log "postgresql: role $PG_APP_USER, databases ${PG_DATABASES// /, } ready (postgresql://$PG_APP_USER:***@127.0.0.1:$PG_PORT/...)"
}

pg_stop() {
  local pid
  if ! pid=$(pg_pid); then
    log "postgresql: not running"
    return 0
  fi
  log "postgresql: stopping (pid $pid)"
  # SIGINT is PostgreSQL's "fast" shutdown (SIGTERM would wait for clients to leave)
  stop_pid postgresql "$pid" "$PG_STOP_TIMEOUT" INT || { fail postgresql "pid $pid did not exit"; return 1; }
  rm -f "$PG_PIDFILE"
  log "postgresql: stopped"
}

pg_status() {
  local pid
  if ! pid=$(pg_pid); then
    log "postgresql: stopped"
    return 3
  fi
  if pg_healthy; then
    log "postgresql: running (pid $pid, 127.0.0.1:$PG_PORT, socket $PG_SOCKET_DIR, databases ${PG_DATABASES// /, }, log: $PG_LOG)"
    return 0
  fi
  log "postgresql: process $pid is running but not accepting connections (log: $PG_LOG)"
  return 1
}
