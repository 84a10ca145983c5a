# shellcheck shell=bash
# Elasticsearch (integ-test zip from Maven Central): single node on loopback,
# security off, small heap, run as an unprivileged user (it refuses root).

ES_VERSION=${ES_VERSION:-8.19.21}
ES_GAV=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip
ES_PORT=${ES_PORT:-9200}
ES_TRANSPORT_PORT=${ES_TRANSPORT_PORT:-9300}
ES_JAVA_OPTS=${ES_JAVA_OPTS:--Xms512m -Xmx512m}
ES_START_TIMEOUT=${ES_START_TIMEOUT:-120}
ES_STOP_TIMEOUT=${ES_STOP_TIMEOUT:-60}
# ES_INSTANCE=<name> runs another node beside the default one, with its own data, pid file and logs
# ($CACHE_DIR/es-<name>, node name portal-es-<name>): e.g. the nodes of a loopback cluster (bench/faults.py).
ES_INSTANCE=${ES_INSTANCE:-}
ES_SUFFIX=${ES_INSTANCE:+-$ES_INSTANCE}
ES_BASE=${ES_DATA_DIR:-$CACHE_DIR/es$ES_SUFFIX}
ES_PIDDIR=$RUN_DIR/elasticsearch$ES_SUFFIX
ES_PIDFILE=$ES_PIDDIR/elasticsearch.pid
ES_CONSOLE_LOG=$LOG_DIR/elasticsearch$ES_SUFFIX-console.log
ES_CLUSTER=${ES_CLUSTER_NAME:-portal-dev}
ES_NODE_NAME=${ES_NODE_NAME:-portal-es$ES_SUFFIX}
# A cluster instead of a single node: the other nodes' transport addresses (host:port, comma-separated)
# and, for the cluster's very first start, the names of its master-eligible nodes.
ES_SEED_HOSTS=${ES_SEED_HOSTS:-}
ES_INITIAL_MASTER_NODES=${ES_INITIAL_MASTER_NODES:-}
ES_LOG=$ES_BASE/logs/$ES_CLUSTER.log
ES_URL=http://127.0.0.1:$ES_PORT

# Java majors Elasticsearch supports, most preferred first (8.x: 17-24; 9.x: 21+).
es_java_prefs() {
  case $ES_VERSION in
    8.*) echo "17 21 24 23 22 20 19 18" ;;
    *) echo "21 25 24 23 22" ;;
  esac
}

es_user() { if is_root; then echo "$SVC_USER"; else id -un; fi; }

es_healthy() {
  curl -fsS -m 5 -o /dev/null \
    "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null
}

es_pid() { live_pid "$ES_PIDFILE" "org.elasticsearch"; }

# alive while the launcher (bin/elasticsearch -d) or the server it forked runs
es_alive() {
  es_pid >/dev/null && return 0
  [[ -n ${ES_LAUNCHER_PID:-} ]] && pid_alive "$ES_LAUNCHER_PID"
}

# es_launch: start the server in the background (ES_LAUNCH is set to 1 when launched,
# 0 when it was already running); the caller then runs es_wait.
es_launch() {
  local pid java home user
  local -a RUNAS
  ES_LAUNCH=0
  if pid=$(es_pid); then
    if es_healthy; then
      log "elasticsearch: already running (pid $pid, $ES_URL)"
      return 0
    fi
    log "elasticsearch: process $pid is up but not healthy yet; waiting for it"
    ES_LAUNCH=1 ES_LAUNCHER_PID="" ES_T0=$SECONDS
    return 0
  fi
  require_free_ports elasticsearch "ES_PORT=$ES_PORT" "ES_TRANSPORT_PORT=$ES_TRANSPORT_PORT" || return 1
  java=$(pick_java elasticsearch "$(es_java_prefs)" "${ES_JAVA_HOME:-}") || return 1
  home=$(ensure_dist elasticsearch "$ES_GAV" "elasticsearch-$ES_VERSION") || return 1
  user=$(es_user)
  if is_root; then
    ensure_svc_user || return 1
    ensure_traverse "$user" "$home" || return 1
  fi
  mkdir -p "$ES_BASE/data" "$ES_BASE/logs" "$ES_PIDDIR"
  if [[ ! -f $ES_BASE/config/.portal-copied-$ES_VERSION ]]; then
    # a private, writable copy of the config dir (ES writes its keystore there)
    rm -rf "$ES_BASE/config"
    cp -a "$home/config" "$ES_BASE/config"
    touch "$ES_BASE/config/.portal-copied-$ES_VERSION"
  fi
  if is_root; then
    chown -R "$user:" "$ES_BASE" "$ES_PIDDIR"
  fi
  rm -f "$ES_PIDFILE"
  rotate_log "$ES_CONSOLE_LOG"
  log "elasticsearch: starting (java $(java_major "$java"), user $user, heap '$ES_JAVA_OPTS', log: $ES_LOG)"
  local -a discovery=(-E discovery.type=single-node)
  if [[ -n $ES_SEED_HOSTS ]]; then
    discovery=(-E "discovery.seed_hosts=$ES_SEED_HOSTS")
    [[ -n $ES_INITIAL_MASTER_NODES ]] && discovery+=(-E "cluster.initial_master_nodes=$ES_INITIAL_MASTER_NODES")
  fi
  runas_prefix "$user"
  ES_T0=$SECONDS
  # -d: daemonize once started; -p: the server writes its pid file.
  setsid "${RUNAS[@]}" env -i PATH="$BASE_PATH" LANG=C.UTF-8 \
    ES_JAVA_HOME="$java" ES_JAVA_OPTS="$ES_JAVA_OPTS" ES_PATH_CONF="$ES_BASE/config" \
    "$home/bin/elasticsearch" -d -p "$ES_PIDFILE" \
    -E cluster.name="$ES_CLUSTER" \
    -E node.name="$ES_NODE_NAME" \
    "${discovery[@]}" \
    -E network.host=127.0.0.1 \
    -E http.port="$ES_PORT" \
    -E transport.port="$ES_TRANSPORT_PORT" \
    -E xpack.security.enabled=false \
    -E cluster.routing.allocation.disk.threshold_enabled=false \
    -E path.data="$ES_BASE/data" \
    -E path.logs="$ES_BASE/logs" \
    </dev/null >>"$ES_CONSOLE_LOG" 2>&1 9>&- &
  ES_LAUNCHER_PID=$!
  ES_LAUNCH=1
}

es_wait() {
  local rc
  ((${ES_LAUNCH:-0})) || return 0
  rc=0
  wait_ready elasticsearch "$ES_START_TIMEOUT" "$ES_T0" es_healthy es_alive \
    "$ES_LOG" "$ES_CONSOLE_LOG" || rc=$?
  ((rc == 0)) && return 0
  if ((rc == 2)); then es_stop >/dev/null; warn "elasticsearch: stopped the unready server"; fi
  return 1
}

es_stop() {
  local pid
  if ! pid=$(es_pid); then
    log "elasticsearch: not running"
    return 0
  fi
  log "elasticsearch: stopping (pid $pid)"
  stop_pid elasticsearch "$pid" "$ES_STOP_TIMEOUT" || { fail elasticsearch "pid $pid did not exit"; return 1; }
  rm -f "$ES_PIDFILE"
  log "elasticsearch: stopped"
}

# es_status: one line; 0 running and healthy, 1 running but unhealthy, 3 stopped
es_status() {
  local pid health
  if ! pid=$(es_pid); then
    log "elasticsearch: stopped"
    return 3
  fi
  if health=$(curl -fsS -m 3 "$ES_URL/_cluster/health" 2>/dev/null); then
    health=$(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$health")
    log "elasticsearch: running (pid $pid, $ES_URL, cluster $health, log: $ES_LOG)"
    [[ $health == green || $health == yellow ]] && return 0
    return 1
  fi
  log "elasticsearch: process $pid is running but $ES_URL does not answer (log: $ES_LOG)"
  return 1
}
