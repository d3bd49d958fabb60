#!/usr/bin/env bash
# The cgroup v2 test lane (`make test-cgroup2`, after `make build fixtures`): runs the prebuilt integration test
# executable inside the pure cgroup-v2 VM (run-in-vm.sh) with the cgroup and container tests selected, and prints
# the tests' output, then, last, one line "N passed, N failed" counted from the TRX report the guest wrote.
# Every selected test must run in the VM: a test skipped there did not prove the v2 path, so it counts as failed.
# Exits non-zero when a test failed or was skipped, or the VM failed or timed out (BERTH_VM_TIMEOUT, default 600 s).
set -uo pipefail
cd "$(dirname "$0")/../.."

results=artifacts/test-results-cgroup2
exe=tests/Berth.Integration.Tests/bin/${CONFIG:-Release}/net10.0/linux-x64/Berth.Integration.Tests
# The v2 driver scenarios, the container resource limits and device filter, and whole containers on the v2 driver:
# image load, overlay rootfs, namespaces, exit codes, stop, kill, removal (lifecycle, isolation), pause/unpause through
# cgroup.freeze (operations) and exec. The file-level container tests (cp, diff, terminals) do not depend on the cgroup
# version and stay on the host, to keep this lane short under TCG.
filter='TestCategory=CgroupV2|TestCategory=Cgroups|FullyQualifiedName~ContainerLifecycleTests|FullyQualifiedName~ContainerIsolationTests|FullyQualifiedName~ContainerOperationsTests|FullyQualifiedName~ContainerExecTests'

rm -rf "$results"
mkdir -p "$results"
if [ ! -x "$exe" ] || [ ! -x artifacts/bin/berth-init ] || [ ! -f .fixtures/images/stamp.json ]; then
  echo "test-cgroup2: build on the host first (make build fixtures): the VM runs only prebuilt tests" >&2
  scripts/trx-summary.sh --extra-failed 1
  exit 1
fi

started=$SECONDS
# The guest's environment is clean: tell the test executable's apphost where the host's .NET is. The engines' data
# roots go to the guest's scratch tmpfs: overlayfs refuses an upper dir on the overlay root.
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
tests/vm/run-in-vm.sh -t "${BERTH_VM_TIMEOUT:-600}" -o "$results" -e DOTNET_ROOT="$dotnet_root" -- \
  sh -c 'BERTH_TEST_DATA_BASE=$BERTH_VM_SCRATCH "$0" "$@" --results-directory "$BERTH_VM_OUT"; status=$?
    left=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "berth*")
    [ -z "$left" ] || { echo "test-cgroup2: cgroups left behind in the VM:" $left; [ $status = 0 ] && status=1; }
    exit $status' "$exe" \
    --filter "$filter" --report-trx --report-trx-filename cgroup2.trx --no-ansi --progress off --output detailed
status=$?
echo "test-cgroup2: the VM lane took $((SECONDS - started)) s"

extra=0
trx=$results/cgroup2.trx
if [ ! -f "$trx" ]; then
  echo "test-cgroup2: no test report came back from the VM (exit $status)" >&2
  extra=1
else
  skipped=$(grep -o 'testName="[^"]*"[^>]*outcome="NotExecuted"' "$trx" | sed 's/testName="\([^"]*\)".*/\1/')
  if [ -n "$skipped" ]; then
    echo "test-cgroup2: skipped inside the v2 VM, counted as failed (the reasons are in the output above):" >&2
    sed 's/^/  /' <<<"$skipped" >&2
    extra=$(wc -l <<<"$skipped")
  fi
  if [ "$status" != 0 ] && ! grep -q 'outcome="Failed"' "$trx" && [ "$extra" = 0 ]; then
    echo "test-cgroup2: the test run exited $status without a failed test" >&2
    extra=1
  fi
fi
scripts/trx-summary.sh --extra-failed "$extra" "$trx" && [ "$status" = 0 ]
