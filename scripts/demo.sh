#!/usr/bin/env bash
# Berth's main job on a fresh Debian 12 machine, as root: install what is needed, build, start berthd,
# load the sample busybox image and run a container. berthd keeps running afterwards
# (socket /run/berth/berth.sock, data root /var/lib/berth, log /var/log/berthd.log).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
make install managed   # managed: the test-images tool below
bin=/usr/local/bin
sock=${BERTH_SOCKET:-/run/berth/berth.sock}

# The sample image: busybox from Debian's busybox-static package, packed as a `docker save` tarball.
archive=$(dotnet run --project tests/Berth.TestImages -c Release --no-build | sed -n 's/^BusyboxDockerArchive: *//p')

if ! "$bin/berth" -H "unix://$sock" version >/dev/null 2>&1; then
  echo "demo: starting berthd (log: /var/log/berthd.log)"
  mkdir -p "$(dirname "$sock")"
  nohup "$bin/berthd" -H "unix://$sock" >>/var/log/berthd.log 2>&1 &
  echo $! > /run/berth/berthd.pid   # the README says where: stop with kill $(cat /run/berth/berthd.pid)
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
fi

export BERTH_HOST="unix://$sock"
"$bin/berth" load -i "$archive"
"$bin/berth" run --rm busybox echo "Hello from a Berth container"
"$bin/berth" run --rm --memory 64m busybox sh -c 'echo "hostname: $(hostname)"; echo "pid: $$"; echo "user: $(id)"; ls /proc | grep -cE "^[0-9]+$" | sed "s/^/processes visible: /"'
echo
echo "berthd is running. Try:"
echo "  berth run -it --rm busybox sh"
echo "  berth ps --format 'table {{.ID}}\t{{.Names}}\t{{.Status}}'"
echo "Stop berthd: kill \$(cat /run/berth/berthd.pid)"
echo "  DOCKER_HOST=unix://$sock docker run --rm busybox uname -a"
