#!/usr/bin/env bash
# Runs the whole suite (unit, integration, browser). pytest's "no tests collected" (exit 5)
# is a failure here: a suite that runs nothing must never pass.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "run-tests: pytest collected no tests; failing on purpose" >&2
  exit 1
fi
exit "$status"
