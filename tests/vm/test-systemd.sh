#!/usr/bin/env bash
# The systemd lane (`make test-systemd`, after `make build fixtures`): boots the VM of run-in-vm.sh with Debian's
# systemd as PID 1 (-s) and runs systemd-checks.sh inside, which installs Berth with `make install` and drives berthd
# through systemctl. Prints the checks' output, then, last, one line "N passed, N failed". Exits non-zero when a check
# failed, or the VM failed or timed out (BERTH_VM_TIMEOUT, default 600 s).
set -uo pipefail
cd "$(dirname "$0")/../.."

results=artifacts/test-results-systemd
rm -rf "$results"
mkdir -p "$results"
if [ ! -x artifacts/bin/berthd ] || [ ! -x artifacts/bin/berth ] || [ ! -f .fixtures/images/busybox-docker.tar ]; then
  echo "test-systemd: build on the host first (make build fixtures): the VM only installs and runs what was built" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
# `make install` in the VM must find every binary up to date: a rebuild there (dotnet publish under TCG) would not end.
if ! make -q build 2>/dev/null; then
  echo "test-systemd: the binaries are older than the sources or the commit: make build first (make test-systemd does)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
started=$SECONDS
tests/vm/run-in-vm.sh -s -t "${BERTH_VM_TIMEOUT:-600}" -o "$results" -- tests/vm/systemd-checks.sh
status=$?
echo "test-systemd: the VM lane took $((SECONDS - started)) s"
if read -r passed failed < "$results/counts" 2>/dev/null; then
  # A VM that died after the checks counted still fails the lane.
  [ "$status" != 0 ] && [ "$failed" = 0 ] && failed=1
else
  echo "test-systemd: no counts came back from the VM (exit $status)" >&2
  passed=0
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$status" = 0 ]
