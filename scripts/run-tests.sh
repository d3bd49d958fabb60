#!/usr/bin/env bash
# Runs every test project (Microsoft.Testing.Platform executables) and prints, last, one line
# "N passed, N failed" counted from the TRX reports. Exits non-zero when a test failed.
set -uo pipefail
cd "$(dirname "$0")/.."

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

projects=(
  tests/Berth.Engine.Tests
  tests/Berth.TestImages.Tests
  tests/Berth.Integration.Tests
  tests/Berth.Cli.Tests
)
for extra in tests/Berth.Http.Tests tests/Berth.Api.Tests; do
  [ -d "$extra" ] && projects+=("$extra")
done

status=0
for project in "${projects[@]}"; do
  name=$(basename "$project")
  echo "=== $name"
  dotnet test --project "$project" -c "${CONFIG:-Release}" --no-build \
    --report-trx --report-trx-filename "$name.trx" --results-directory "$results" \
    || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
done
[ "$failed" -gt 0 ] && status=1
echo "($skipped skipped)"
echo "$passed passed, $failed failed"
exit $status
