#!/usr/bin/env bash
# One make step, one line: "[make] LABEL ... 12.3 s". The command's output goes to artifacts/logs/STEP.log and is
# shown (its last 60 lines) only when the step fails, so a long quiet NativeAOT publish still says what it is doing.
# Usage: scripts/step.sh NAME LABEL COMMAND [ARGS...]
set -uo pipefail
name=$1 label=$2
shift 2
mkdir -p artifacts/logs
log=artifacts/logs/$name.log
printf '[make] %s ...' "$label"
start=$(date +%s.%N)
"$@" >"$log" 2>&1
status=$?
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
if [ "$status" -ne 0 ]; then
  printf ' FAILED after %s s (log: %s)\n' "$elapsed" "$log"
  tail -n 60 "$log" >&2
  exit "$status"
fi
printf ' %s s\n' "$elapsed"
