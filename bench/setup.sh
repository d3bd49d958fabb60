#!/usr/bin/env bash
# Installs the peers and tools `make bench` compares against, from Debian's packages only, when missing:
# runc, crun, podman, buildah, docker.io (a real dockerd 20.10 + containerd), hyperfine, skopeo, umoci, debootstrap
# (the Debian minbase image for the image-load benchmark), gnuplot-nox (the chart), strace and perf
# (profiling a missed target). Idempotent; installs nothing that is already there. Run as root.
# Packages never start services here: a host without systemd has /usr/sbin/policy-rc.d answering 101,
# and this script adds one for the duration of the install when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(runc crun podman conmon buildah docker.io containerd hyperfine skopeo umoci debootstrap gnuplot-nox strace linux-perf
          util-linux procps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/setup: installing ${missing[*]}"
  added_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  trap '[ -n "$added_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends)
  "${apt[@]}" "${missing[@]}" || { apt-get -o DPkg::Lock::Timeout=600 update && "${apt[@]}" "${missing[@]}"; }
fi

# The docker CLI the benchmarks drive is the 28.2.2 one first on PATH, not Debian's older /usr/bin/docker.
docker_cli=$(command -v docker || true)
if [ -z "$docker_cli" ] || [ "$docker_cli" = /usr/bin/docker ]; then
  echo "bench/setup: no docker CLI newer than Debian's on PATH (want 28.x first on PATH); docker CLI rows will use $docker_cli" >&2
fi
