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
KC_URL=http://127.0.0.1:$KC_PORT
KC_HEALTH_URL=http://127.0.0.1:$KC_MGMT_PORT/health/ready

# Keycloak 26.4 runs on Java 17, 21 and 25 (17 is deprecated): prefer the newest.
kc_java_prefs() { echo "25 21 17"; }

kc_user() { if is_root; then echo "$SVC_USER"; else id -un; fi; }

kc_healthy() {
  local out
  out=$(curl -fsS -m 3 "$KC_HEALTH_URL" 2>/dev/null) || return 1
  [[ $out =~ \"status\"[[:space:]]*:[[:space:]]*\"UP\" ]]
}

# the pid file names kc.sh (session leader; its JVM runs in the same process group)
kc_pid() { live_pid "$KC_PIDFILE" "$DIST_DIR/keycloak-"; }
kc_alive() { kc_pid >/dev/null; }

kc_realm_sum() { sha256sum <"$KC_REALM_FILE" | cut -d' ' -f1; }

# kc_prepare_realm: put the realm file into data/import; when it differs from the
# one imported last time, wipe the dev database so start-dev imports it again
# (start-dev skips realms that already exist).
kc_prepare_realm() {
  local sum old=""
  KC_PENDING_SUM=""
  mkdir -p "$KC_HOME/data/import"
  find "$KC_HOME/data/import" -maxdepth 1 -name '*.json' -delete
  if [[ ! -f $KC_REALM_FILE ]]; then
    warn "keycloak: warning: no realm file at $KC_REALM_FILE (set KC_REALM_FILE); starting without importing a realm"
    return 0
  fi
  sum=$(kc_realm_sum)
  [[ -r $KC_REALM_SUM ]] && read -r old <"$KC_REALM_SUM"
  if [[ $sum != "$old" && -d $KC_HOME/data/h2 ]]; then
    log "keycloak: realm file changed since the last import: wiping the dev database ($KC_HOME/data/h2) to re-import it"
    rm -rf "$KC_HOME/data/h2"
  fi
  cp "$KC_REALM_FILE" "$KC_HOME/data/import/"
  KC_PENDING_SUM=$sum
}

kc_launch() {
  local pid java user sum old=""
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
    KC_LAUNCH=1 KC_T0=$SECONDS KC_PENDING_SUM=""
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
  rotate_log "$KC_LOG"
  runas_prefix "$user"
  log "keycloak: starting (java $(java_major "$java"), user $user, heap '$KC_HEAP_OPTS', log: $KC_LOG)"
  KC_T0=$SECONDS
  # The wrapper writes its own pid (then execs kc.sh), so the pid file is right even
  # if setsid had to fork. Own session: a Ctrl-C in the terminal does not reach it.
  # shellcheck disable=SC2016,SC2086 # $$ is for the inner shell; KC_EXTRA_ARGS is split on purpose
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$KC_PIDFILE" \
    "${RUNAS[@]}" env -i PATH="$BASE_PATH" LANG=C.UTF-8 HOME="$KC_HOME" \
    JAVA_HOME="$java" JAVA_OPTS_KC_HEAP="$KC_HEAP_OPTS" \
    KC_BOOTSTRAP_ADMIN_USERNAME="$KC_ADMIN_USERNAME" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    "$KC_HOME/bin/kc.sh" start-dev \
    --http-host=127.0.0.1 --http-port="$KC_PORT" \
    --http-management-port="$KC_MGMT_PORT" \
    --health-enabled=true --import-realm $KC_EXTRA_ARGS \
    </dev/null >>"$KC_LOG" 2>&1 &
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
  if wait_ready keycloak "$KC_START_TIMEOUT" "$KC_T0" kc_healthy kc_alive "$KC_LOG"; then
    if [[ -n ${KC_PENDING_SUM:-} ]]; then
      printf '%s\n' "$KC_PENDING_SUM" >"$KC_REALM_SUM"
      log "keycloak: realm imported from $KC_REALM_FILE"
    fi
    return 0
  fi
  rc=$?
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
