#!/usr/bin/env bash
# Builds Berth's binaries at an older commit, for `make bench BASELINE=rev` (benchmark 1 then runs that build's
# `berth run --rm` beside this one's, interleaved, and judges a start-latency regression per pair). Prints the
# directory of the built binaries. The build is kept in artifacts/baseline/<rev>/bin and reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=$(git rev-parse --short "${1:?usage: bench/baseline.sh REV}^{commit}")
out=$PWD/artifacts/baseline/$rev
if [ ! -x "$out/bin/berthd" ] || [ ! -x "$out/bin/berth-init" ]; then
  src=$out/src
  rm -rf "$src"
  git worktree prune
  git worktree add --detach "$src" "$rev" >&2
  trap 'git worktree remove --force "$src" >&2' EXIT
  # Only what benchmark 1 runs: the CLI, the daemon and its helpers (no tests, no solution build).
  make -C "$src" launcher reaper init daemon cli >&2
  rm -rf "$out/bin"
  cp -a "$src/artifacts/bin" "$out/bin"
fi
echo "$out/bin"
