#!/usr/bin/env bash
# Builds (once) a Debian bookworm minbase rootfs with debootstrap, the content of the image-load benchmark's
# tarball, and prints its path. Cached outside the repository in $BERTH_BENCH_CACHE (/var/cache/berth-bench);
# a partial build is never reused (it is built under a temporary name and renamed when complete).
set -euo pipefail
cache=${BERTH_BENCH_CACHE:-/var/cache/berth-bench}
mirror=${BERTH_BENCH_MIRROR:-http://deb.debian.org/debian}
rootfs=$cache/debian-bookworm-minbase
if [ ! -d "$rootfs" ]; then
  mkdir -p "$cache"
  tmp=$rootfs.partial.$$
  trap 'rm -rf "$tmp"' EXIT
  echo "bench: debootstrap --variant=minbase bookworm into $rootfs (a few minutes, once)" >&2
  debootstrap --variant=minbase bookworm "$tmp" "$mirror" >&2
  # apt's caches are not part of an image (as in Docker's debian images).
  rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
  mv "$tmp" "$rootfs"
  trap - EXIT
fi
echo "$rootfs"
