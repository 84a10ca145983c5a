# shellcheck shell=bash
# Keycloak (quarkus dist zip from Maven Central) in dev mode on loopback, realm
# imported from the repo (realm-as-code).

KC_VERSION=${KC_VERSION:-26.4.7}
KC_GAV=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip
KC_PORT=${KC_PORT:-8080}
KC_MGMT_PORT=${KC_MGMT_PORT:-9000}
KC_REALM_FILE=${KC_REALM_FILE:-$PORTAL_REPO_ROOT/sso/realm/portal-realm.json}
# DEVELOPMENT-ONLY default credentials of the first (master realm) admin.
KC_ADMIN_USERNAME=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
KC_ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}
# kc.sh adds JAVA_OPTS_KC_HEAP to its default JAVA_OPTS
KC_HEAP_OPTS=${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx512m}
KC_EXTRA_ARGS=${KC_EXTRA_ARGS:-}
KC_START_TIMEOUT=${KC_START_TIMEOUT:-240}
KC_STOP_TIMEOUT=${KC_STOP_TIMEOUT:-60}
KC_HOME=$DIST_DIR/keycloak-$KC_VERSION
KC_PIDFILE=$RUN_DIR/keycloak.pid
KC_LOG=$LOG_DIR/keycloak.log
KC_REALM_SUM=$STATE_DIR/keycloak-realm.sha256
KC_REALM_PENDING=$STATE_DIR/keycloak-realm.pending
KC_URL=http://127.0.0.1:$KC_PORT
KC_HEALTH_URL=http://127.0.0.1:$KC_MGMT_PORT/health/ready

# Java majors Keycloak supports, most preferred first. Keycloak supports Java 25
# only from 26.6 on; 26.4 wants 21 (17 works but is deprecated), and on 25 its
# worker threads die with IllegalAccessError unless java.lang is opened (see kc_launch).
kc_java_prefs() {
  local major=${KC_VERSION%%.*} minor=${KC_VERSION#*.}
  minor=${minor%%.*}
  if ((major > 26 || (major == 26 && minor >= 6))); then
    echo "25 21 17"
  else
    echo "21 17 25"
  fi
}

kc_user() { if is_root; then echo "$SVC_USER"; else id -un; fi; }

kc_healthy() {
  local out
  out=$(curl -fsS -m 3 "$KC_HEALTH_URL" 2>/dev/null) || return 1
  [[ $out =~ \"status\"[[:space:]]*:[[:space:]]*\"UP\" ]]
}

# the pid file names kc.sh (session leader; its JVM runs in the same process group)
kc_pid() { live_pid "$KC_PIDFILE" "$DIST_DIR/keycloak-"; }
kc_alive() { kc_pid >/dev/null; }

# The first start (and any start after a build option changed) re-augments
# Keycloak ("Updating the configuration ..."), which can take minutes on a busy
# machine: allow KC_BUILD_TIMEOUT more seconds then. (Named after wait_ready's NAME.)
keycloak_extra_time() {
  if grep -q 'Updating the configuration' "$KC_LOG" 2>/dev/null; then
    echo "${KC_BUILD_TIMEOUT:-600}"
  else
    echo 0
  fi
}

kc_realm_sum() { sha256sum <"$KC_REALM_FILE" | cut -d' ' -f1; }

# kc_prepare_realm: put the realm file into data/import; when it differs from the
# one imported last time, wipe the dev database so start-dev imports it again
# (start-dev skips realms that already exist).
kc_prepare_realm() {
  local sum old="" realm
  rm -f "$KC_REALM_PENDING"
  mkdir -p "$KC_HOME/data/import"
  find "$KC_HOME/data/import" -maxdepth 1 -name '*.json' -delete
  if [[ ! -f $KC_REALM_FILE ]]; then
    warn "keycloak: warning: no realm file at $KC_REALM_FILE (set KC_REALM_FILE); starting without importing a realm"
    return 0
  fi
  # Keycloak only imports <realm name>-realm.json (it refuses other file names)
  realm=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["realm"])' \
    "$KC_REALM_FILE" 2>/dev/null) || realm=$(sed -n 's/^[[:space:]]*"realm"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$KC_REALM_FILE" | head -n 1)
  [[ -n $realm ]] || { fail keycloak "$KC_REALM_FILE has no top-level \"realm\" name (is it valid JSON?)"; return 1; }
  sum=$(kc_realm_sum)
  [[ -r $KC_REALM_SUM ]] && read -r old <"$KC_REALM_SUM"
  if [[ $sum != "$old" && -d $KC_HOME/data/h2 ]]; then
    log "keycloak: realm file changed since the last import: wiping the dev database ($KC_HOME/data/h2) to re-import it"
    rm -rf "$KC_HOME/data/h2"
  fi
  cp "$KC_REALM_FILE" "$KC_HOME/data/import/$realm-realm.json"
  # without a database Keycloak imports the file: its checksum becomes the "last
  # imported" one once Keycloak is ready
  [[ -d $KC_HOME/data/h2 ]] || printf '%s\n' "$sum" >"$KC_REALM_PENDING"
}

kc_launch() {
  local pid java user sum old="" add_opens=""
  local -a RUNAS
  KC_LAUNCH=0
  if pid=$(kc_pid); then
    if kc_healthy; then
      log "keycloak: already running (pid $pid, $KC_URL)"
      if [[ -f $KC_REALM_FILE ]]; then
        sum=$(kc_realm_sum)
        [[ -r $KC_REALM_SUM ]] && read -r old <"$KC_REALM_SUM"
        [[ $sum == "$old" ]] || warn "keycloak: note: $KC_REALM_FILE changed since it was imported; 'scripts/services.sh restart kc' re-imports it (wipes the dev database)"
      fi
      return 0
    fi
    log "keycloak: process $pid is up but not ready yet; waiting for it"
    KC_LAUNCH=1 KC_T0=$SECONDS
    return 0
  fi
  require_free_ports keycloak "KC_PORT=$KC_PORT" "KC_MGMT_PORT=$KC_MGMT_PORT" || return 1
  java=$(pick_java keycloak "$(kc_java_prefs)" "${KC_JAVA_HOME:-}") || return 1
  KC_HOME=$(ensure_dist keycloak "$KC_GAV" "keycloak-$KC_VERSION") || return 1
  user=$(kc_user)
  kc_prepare_realm || return 1
  if is_root; then
    ensure_svc_user || return 1
    ensure_traverse "$user" "$KC_HOME" || return 1
    # Keycloak writes into its home (data/, lib/quarkus/ when re-augmenting)
    chown -R "$user:" "$KC_HOME"
  fi
  # thread-local reset in jboss-threads needs this on Java 24+ (Keycloak < 26.6 lacks it)
  if (($(java_major "$java") >= 24)); then add_opens=--add-opens=java.base/java.lang=ALL-UNNAMED; fi
  rotate_log "$KC_LOG"
  runas_prefix "$user"
  log "keycloak: starting (java $(java_major "$java"), user $user, heap '$KC_HEAP_OPTS', log: $KC_LOG)"
  KC_T0=$SECONDS
  # The wrapper writes its own pid (then execs kc.sh), so the pid file is right even
  # if setsid had to fork. Own session: a Ctrl-C in the terminal does not reach it.
  # shellcheck disable=SC2016,SC2086 # $$ is for the inner shell; KC_EXTRA_ARGS is split on purpose
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$KC_PIDFILE" \
    "${RUNAS[@]}" env -i PATH="$BASE_PATH" LANG=C.UTF-8 HOME="$KC_HOME" \
    JAVA_HOME="$java" JAVA_OPTS_KC_HEAP="$KC_HEAP_OPTS" JAVA_OPTS_APPEND="$add_opens" \
    KC_BOOTSTRAP_ADMIN_USERNAME="$KC_ADMIN_USERNAME" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    "$KC_HOME/bin/kc.sh" start-dev \
    --http-host=127.0.0.1 --http-port="$KC_PORT" \
    --http-management-port="$KC_MGMT_PORT" \
    --health-enabled=true --import-realm $KC_EXTRA_ARGS \
    </dev/null >>"$KC_LOG" 2>&1 9>&- &
  KC_LAUNCH=1
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $KC_PIDFILE ]] && break
    sleep 0.1
  done
}

kc_wait() {
  local rc
  ((${KC_LAUNCH:-0})) || return 0
  rc=0
  wait_ready keycloak "$KC_START_TIMEOUT" "$KC_T0" kc_healthy kc_alive "$KC_LOG" || rc=$?
  if ((rc == 0)); then
    if [[ -s $KC_REALM_PENDING ]]; then
      mv -f "$KC_REALM_PENDING" "$KC_REALM_SUM"
      log "keycloak: realm imported from $KC_REALM_FILE"
    fi
    return 0
  fi
  if ((rc == 2)); then kc_stop >/dev/null; warn "keycloak: stopped the unready server"; fi
  return 1
}

kc_stop() {
  local pid
  if ! pid=$(kc_pid); then
    log "keycloak: not running"
    return 0
  fi
  log "keycloak: stopping (pid $pid)"
  stop_pid keycloak "$pid" "$KC_STOP_TIMEOUT" || { fail keycloak "pid $pid did not exit"; return 1; }
  rm -f "$KC_PIDFILE"
  log "keycloak: stopped"
}

kc_status() {
  local pid
  if ! pid=$(kc_pid); then
    log "keycloak: stopped"
    return 3
  fi
  if kc_healthy; then
    log "keycloak: running (pid $pid, $KC_URL, admin console $KC_URL/admin, health $KC_HEALTH_URL, log: $KC_LOG)"
    return 0
  fi
  log "keycloak: process $pid is running but not ready ($KC_HEALTH_URL; log: $KC_LOG)"
  return 1
}
