#!/usr/bin/env bash
# Counts the results in TRX reports and prints, last, one line "N passed, N failed" (after "(N skipped)").
#   scripts/trx-summary.sh [--extra-failed N] DIR_OR_TRX...
# Errors count as failures; --extra-failed adds failures no report holds (a suite that died before writing one).
# Exits 1 when anything failed.
set -uo pipefail

extra=0
if [ "${1:-}" = --extra-failed ]; then
  extra=$2
  shift 2
fi
passed=0; failed=$extra; skipped=0
for arg in "$@"; do
  if [ -d "$arg" ]; then files=("$arg"/*.trx); else files=("$arg"); fi
  for trx in "${files[@]}"; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | sed -n 1p)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
    x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0} + ${e:-0}))
    skipped=$((skipped + ${t:-0} - ${x:-0}))
  done
done
echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
