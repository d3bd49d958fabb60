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
  tests/Berth.Network.Tests
)
for extra in tests/Berth.Http.Tests tests/Berth.Api.Tests tests/Berth.Registry.Tests; do
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

scripts/trx-summary.sh "$results" || status=1
exit $status
