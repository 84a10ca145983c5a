# shellcheck shell=bash
# Shared helpers for scripts/services.sh (sourced, never executed).
#
# Layout of the cache dir (outside the repo, reused between runs):
#   $CACHE_DIR/<artifact>.zip          downloaded once with `mvn dependency:copy`
#   $CACHE_DIR/dist/<name>-<version>/  unzipped once
#   $CACHE_DIR/es/{config,data,logs}   Elasticsearch state (owned by the service user)
#   $CACHE_DIR/pg/<major>/data         private PostgreSQL cluster (owned by postgres)
#   $CACHE_DIR/run/                    pid files, PostgreSQL's unix socket
#   $CACHE_DIR/logs/                   console logs
#   $CACHE_DIR/state/                  checksums (Keycloak realm import)

# shellcheck disable=SC2034 # used by the per-server files
PORTAL_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE_DIR=${PORTAL_CACHE_DIR:-$HOME/.cache/portal-servers}
DIST_DIR=$CACHE_DIR/dist
RUN_DIR=$CACHE_DIR/run
LOG_DIR=$CACHE_DIR/logs
STATE_DIR=$CACHE_DIR/state
# Unprivileged OS user for servers that refuse root (Elasticsearch); only used when run as root.
SVC_USER=${PORTAL_SVC_USER:-portal-svc}
# Minimal, predictable environment for the servers we launch.
# shellcheck disable=SC2034 # used by the per-server files
BASE_PATH=/usr/local/bin:/usr/bin:/bin

log() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }
# fail NAME MESSAGE: print "NAME: error: MESSAGE" and return 1
fail() { printf '%s: error: %s\n' "$1" "$2" >&2; return 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# The servers must not inherit the lock fd of services.sh (fd 9): every command
# that may leave a process behind is run with 9>&-.
init_dirs() {
  mkdir -p "$CACHE_DIR" "$DIST_DIR" "$RUN_DIR" "$LOG_DIR" "$STATE_DIR"
}

# ---------------------------------------------------------------- processes

# pid_alive PID: the process exists and is not a zombie
pid_alive() {
  local st
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  kill -0 "$1" 2>/dev/null || [[ -d /proc/$1 ]] || return 1
  st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $st && $st != Z* ]]
}

# pid_matches PID TEXT: the process's command line contains TEXT (guards against pid reuse)
pid_matches() {
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *"$2"* ]]
}

# read_pidfile FILE: print the pid it names (no liveness check)
read_pidfile() {
  local p=""
  [[ -r $1 ]] || return 1
  read -r p <"$1" || true
  [[ $p =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$p"
}

# live_pid FILE TEXT: print the pid from FILE if that process is alive and its
# command line contains TEXT; a stale pid file is removed.
live_pid() {
  local p
  p=$(read_pidfile "$1") || return 1
  if pid_alive "$p" && pid_matches "$p" "$2"; then
    printf '%s\n' "$p"
    return 0
  fi
  rm -f "$1"
  return 1
}

# group_alive PGID: some process of that process group is still alive
group_alive() {
  local p
  for p in $(ps -o pid= -g "$1" 2>/dev/null); do
    pid_alive "$p" && return 0
  done
  return 1
}

# stop_pid NAME PID TIMEOUT [SIGNAL]: send SIGNAL (default TERM) to the pid, wait,
# KILL after TIMEOUT seconds.
# When PID leads its own process group (we start servers with setsid), the rest
# of that group (e.g. the JVM under kc.sh) is waited for and killed as well.
stop_pid() {
  local name=$1 pid=$2 timeout=$3 sig=${4:-TERM} t0=$SECONDS leader=0
  [[ $(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') == "$pid" ]] && leader=1
  kill "-$sig" "$pid" 2>/dev/null || true
  while pid_alive "$pid" || { ((leader)) && group_alive "$pid"; }; do
    if ((SECONDS - t0 >= timeout)); then
      warn "$name: still running after ${timeout}s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      ((leader)) && kill -KILL -- "-$pid" 2>/dev/null
      sleep 1
      break
    fi
    sleep 0.5
  done
  ! pid_alive "$pid"
}

# ---------------------------------------------------------------- ports

# port_owner PORT: print a description of whoever listens on TCP PORT (any address); 1 if free
port_owner() {
  local out
  if command -v ss >/dev/null 2>&1; then
    out=$(ss -Hltnp "sport = :$1" 2>/dev/null) || out=""
    [[ -n $out ]] || return 1
    # e.g. LISTEN 0 244 127.0.0.1:5432 0.0.0.0:* users:(("postgres",pid=123,fd=6))
    awk '{ a=$4; u=""; for (i=6;i<=NF;i++) u=u" "$i; print a u }' <<<"$out" | head -n 3
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    printf '127.0.0.1:%s (unknown process)\n' "$1"
    return 0
  fi
  return 1
}

# require_free_ports NAME ENVVAR=PORT...: fail clearly if a port is taken
require_free_ports() {
  local name=$1 spec var port who rc=0
  shift
  for spec in "$@"; do
    var=${spec%%=*} port=${spec#*=}
    if who=$(port_owner "$port"); then
      fail "$name" "port $port is already in use by another process:"
      printf '    %s\n' "$who" >&2
      warn "    free the port (stop that process) or choose another one with $var=<port>"
      rc=1
    fi
  done
  return $rc
}

# ---------------------------------------------------------------- logs & waiting

# rotate_log FILE [OWNER]: keep the previous run's log as FILE.1, start an empty FILE
rotate_log() {
  [[ -f $1 ]] && mv -f "$1" "$1.1"
  : >"$1"
  if [[ -n ${2:-} ]]; then chown "$2" "$1"; fi
}

# show_log_tail FILE...: the last 20 lines of each non-empty file
show_log_tail() {
  local f
  for f in "$@"; do
    [[ -s $f ]] || continue
    warn "---- last 20 lines of $f ----"
    tail -n 20 "$f" >&2
    warn "----"
  done
}

# wait_ready NAME TIMEOUT T0 HEALTH_FN ALIVE_FN LOG...: poll HEALTH_FN every second
# until it succeeds (prints "ready in Ns", counted from T0), ALIVE_FN fails (the
# server exited; returns 1) or TIMEOUT seconds passed since T0 (returns 2).
# A server may define NAME_extra_time (prints extra seconds to allow, e.g. for a
# one-time build step).
wait_ready() {
  local name=$1 timeout=$2 t0=$3 health=$4 alive=$5 extra extended=0
  shift 5
  while :; do
    if ((!extended)) && declare -F "${name}_extra_time" >/dev/null; then
      extra=$("${name}_extra_time")
      if ((extra > 0)); then
        timeout=$((timeout + extra)) extended=1
        log "$name: one-time build step detected; allowing ${extra}s more"
      fi
    fi
    if "$health"; then
      log "$name: ready in $((SECONDS - t0))s"
      return 0
    fi
    if ! "$alive"; then
      fail "$name" "exited during start-up; log: $1"
      show_log_tail "$@"
      return 1
    fi
    if ((SECONDS - t0 >= timeout)); then
      fail "$name" "not ready after ${timeout}s; log: $1"
      show_log_tail "$@"
      return 2
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------- users & permissions

# ensure_svc_user: create the unprivileged service user (idempotent; root only)
ensure_svc_user() {
  id -u "$SVC_USER" >/dev/null 2>&1 && return 0
  log "creating system user $SVC_USER (servers that refuse to run as root run as it)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$SVC_USER"
}

# runas_prefix USER: set the array RUNAS to a command prefix that runs a command as
# USER (empty when not root, or USER is root); it execs, so pids are preserved.
runas_prefix() {
  RUNAS=()
  if is_root && [[ $1 != root ]]; then
    RUNAS=(setpriv "--reuid=$1" "--regid=$(id -g "$1")" --init-groups --)
  fi
}

# as_user USER CMD...: run CMD as USER (as the current user when not root)
as_user() {
  local -a RUNAS
  runas_prefix "$1"
  shift
  "${RUNAS[@]}" "$@"
}

# ensure_traverse USER PATH: USER must be able to reach PATH (search permission on
# every ancestor). The default cache dir lives under /root (mode 700), so grant
# search-only access where it is missing, walking down from /, to USER only (an
# ACL entry) when possible. (Walking down matters: a named ACL entry with only x
# on a directory USER could already read would take its read access away.)
ensure_traverse() {
  local user=$1 dir="" part
  local -a parts
  is_root || return 0
  IFS=/ read -r -a parts <<<"$(readlink -f "$2")"
  for part in "${parts[@]}"; do
    [[ -n $part ]] || continue
    dir+=/$part
    setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- test -x "$dir" 2>/dev/null && continue
    if ! command -v setfacl >/dev/null 2>&1; then
      log "installing the 'acl' package (setfacl) to grant $user access to $dir"
      apt_install acl >/dev/null 2>&1 9>&- || true
    fi
    if command -v setfacl >/dev/null 2>&1 && setfacl -m "u:$user:x" "$dir" 2>/dev/null; then
      log "note: granted $user search-only (x) access to $dir (ACL) so it can reach $2"
    else
      chmod o+x "$dir"
      log "note: added o+x (search-only) to $dir so $user can reach $2"
    fi
  done
}

# ---------------------------------------------------------------- packages & artifacts

APT_UPDATED=0
# apt_install PKG...: install Debian packages (root only); `apt-get update` first when
# the package lists are empty, and once more if the install fails.
apt_install() {
  is_root || { warn "need root to run: apt-get install $*"; return 1; }
  export DEBIAN_FRONTEND=noninteractive
  if [[ $APT_UPDATED == 0 ]] && ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
    apt-get update -q && APT_UPDATED=1
  fi
  if ! apt-get install -y -q --no-install-recommends "$@"; then
    [[ $APT_UPDATED == 1 ]] && return 1
    apt-get update -q && APT_UPDATED=1
    apt-get install -y -q --no-install-recommends "$@"
  fi
}

# ensure_dist NAME G:A:V:zip TOPDIR: print the unzipped home of the artifact,
# fetching it with Maven and unzipping it only when not done before.
ensure_dist() {
  local name=$1 gav=$2 top=$3 a v zip tmp
  IFS=: read -r _ a v _ <<<"$gav"
  zip=$CACHE_DIR/$a-$v.zip
  if [[ -f $DIST_DIR/$top/.portal-unzipped ]]; then
    printf '%s\n' "$DIST_DIR/$top"
    return 0
  fi
  if [[ ! -s $zip ]]; then
    command -v mvn >/dev/null 2>&1 || { fail "$name" "$zip is missing and mvn is not installed"; return 1; }
    log "$name: fetching $gav with Maven into $CACHE_DIR" >&2
    mvn -q dependency:copy -Dartifact="$gav" -DoutputDirectory="$CACHE_DIR" >&2 \
      || { fail "$name" "mvn dependency:copy -Dartifact=$gav failed"; return 1; }
    [[ -s $zip ]] || { fail "$name" "Maven did not produce $zip"; return 1; }
  fi
  log "$name: unzipping $(basename "$zip") into $DIST_DIR" >&2
  tmp=$(mktemp -d "$DIST_DIR/.unzip.XXXXXX")
  if ! unzip -q "$zip" -d "$tmp"; then
    rm -rf "$tmp"
    fail "$name" "could not unzip $zip (delete it to download again)"
    return 1
  fi
  [[ -d $tmp/$top ]] || { rm -rf "$tmp"; fail "$name" "$zip does not contain $top/"; return 1; }
  rm -rf "${DIST_DIR:?}/$top"
  mv "$tmp/$top" "$DIST_DIR/$top"
  rm -rf "$tmp"
  touch "$DIST_DIR/$top/.portal-unzipped"
  printf '%s\n' "$DIST_DIR/$top"
}

# ---------------------------------------------------------------- java

# java_major JAVA_HOME: print the feature (major) version of that JDK
java_major() {
  local home=$1 v=""
  if [[ -r $home/release ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z $v && -x $home/bin/java ]]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  [[ -n $v ]] || return 1
  v=${v#1.} # 1.8.0_x -> 8.0_x
  v=${v%%[!0-9]*}
  [[ -n $v ]] || return 1
  printf '%s\n' "$v"
}

# list_jdks: "major<TAB>home" for every distinct JDK found in $JAVA_HOME,
# /usr/lib/jvm/* and the `java` on PATH
list_jdks() {
  local -a cands=()
  local c home major seen=" "
  [[ -n ${JAVA_HOME:-} ]] && cands+=("$JAVA_HOME")
  for c in /usr/lib/jvm/*/; do
    [[ -d $c ]] && cands+=("${c%/}")
  done
  if c=$(command -v java 2>/dev/null); then
    c=$(readlink -f "$c")
    cands+=("${c%/bin/java}")
  fi
  for c in "${cands[@]}"; do
    [[ -x $c/bin/java ]] || continue
    home=$(readlink -f "$c")
    [[ $seen == *" $home "* ]] && continue
    seen+="$home "
    major=$(java_major "$home") || continue
    printf '%s\t%s\n' "$major" "$home"
  done
}

# pick_java NAME "MAJOR..." [FORCED_HOME]: print the home of the first JDK whose
# major version appears in the preference list (most preferred first).
pick_java() {
  local name=$1 prefs=$2 forced=${3:-} want home jdks major
  if [[ -n $forced ]]; then
    major=$(java_major "$forced") || { fail "$name" "no usable JDK at $forced"; return 1; }
    if [[ " $prefs " != *" $major "* ]]; then
      fail "$name" "the JDK at $forced is Java $major; supported: ${prefs// /, }"
      return 1
    fi
    printf '%s\n' "$forced"
    return 0
  fi
  jdks=$(list_jdks)
  for want in $prefs; do
    home=$(awk -F'\t' -v m="$want" '$1 == m { print $2; exit }' <<<"$jdks")
    if [[ -n $home ]]; then
      printf '%s\n' "$home"
      return 0
    fi
  done
  fail "$name" "no supported Java found (needs one of: ${prefs// /, })"
  if [[ -n $jdks ]]; then
    warn "    found: $(awk -F'\t' '{ printf "%sjava %s at %s", sep, $1, $2; sep="; " }' <<<"$jdks")"
  else
    warn "    found no JDK at all (looked at \$JAVA_HOME, /usr/lib/jvm/*, java on PATH)"
  fi
  warn "    install one, e.g. apt-get install openjdk-17-jdk-headless"
  return 1
}
