#!/usr/bin/env bash
# Serves the portal with gunicorn in the foreground on 127.0.0.1:${PORTAL_PORT:-8000}, with its
# companions in the background: the search outbox worker and the demo department platform.
# Ctrl-C stops all of them (by pid).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
background_pids=()

stop_background() {
  for pid in "${background_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
}
trap stop_background EXIT INT TERM

if $BIN/flask --app wsgi search --help >/dev/null 2>&1; then
  $BIN/flask --app wsgi search sync --follow &
  background_pids+=($!)
fi
if $BIN/flask --app wsgi platforms --help >/dev/null 2>&1; then  # platform health, every PLATFORM_CHECK_EVERY s
  $BIN/flask --app wsgi platforms check --every "${PLATFORM_CHECK_EVERY:-900}" >/dev/null &
  background_pids+=($!)
fi
if [ -f dept_demo/app.py ]; then
  $BIN/gunicorn --bind "127.0.0.1:${DEPT_DEMO_PORT:-8001}" --workers 1 --log-level warning dept_demo.app:app &
  background_pids+=($!)
fi

echo "portal: http://127.0.0.1:${PORTAL_PORT:-8000}"
# No gunicorn access log: query strings carry personal data (a caller's number, OIDC codes). The portal's
# own JSON log (portal/request_logging.py) is the one access log: method, path, status, time.
$BIN/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:${PORTAL_PORT:-8000}" wsgi:app &
gunicorn_pid=$!
background_pids+=($gunicorn_pid)
wait "$gunicorn_pid"
