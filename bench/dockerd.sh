#!/usr/bin/env bash
# Starts or stops a private dockerd (Debian's docker.io 20.10) for the benchmarks.
#   bench/dockerd.sh start DIR CGROUP_PARENT [NETNS]
#                                              socket DIR/docker.sock, data DIR/data, exec DIR/exec, log DIR/dockerd.log;
#                                              with NETNS (a /run/netns path the caller made) dockerd runs in that network
#                                              namespace with its docker0 bridge and iptables rules there (networking
#                                              benchmarks), joined with nsenter --net only: `ip netns exec` would also
#                                              remount /sys and hide the cgroup mounts from it
#   bench/dockerd.sh stop DIR CGROUP_PARENT    SIGTERM, wait, then remove what it left: mounts under DIR, cgroups
#                                              named CGROUP_PARENT below the caller's own, and DIR itself
# dockerd runs with the flags this host kind needs (shared/host-facts.md): no iptables, no bridge, cgroupfs driver,
# and a relative --cgroup-parent, which lands below the caller's own cgroup in every hierarchy. It starts its own
# containerd (no system containerd runs here) with state under DIR. It never touches /var/lib/docker.
set -euo pipefail
cmd=$1 dir=$2 parent=$3 netns=${4:-}

own_cgroup() { # the caller's cgroup path in hierarchy $1 (a v1 controller name)
  awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' /proc/self/cgroup
}

case $cmd in
start)
  mkdir -p "$dir"
  echo '{}' > "$dir/daemon.json"
  : > "$dir/made-outside"
  for d in /run/docker /run/docker/plugins /run/containerd /run/containerd/s; do [ -e "$d" ] || echo "$d" >> "$dir/made-outside"; done
  if [ -n "$netns" ]; then
    launch=(nsenter --net="$netns" dockerd) network=(--ip6tables=false)
  else
    launch=(dockerd) network=(--iptables=false --ip-masq=false --ip6tables=false --bridge=none)
  fi
  "${launch[@]}" --config-file "$dir/daemon.json" -H "unix://$dir/docker.sock" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" "${network[@]}" \
    --storage-driver=overlay2 --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent="$parent" \
    --userland-proxy=false --log-level=warn > "$dir/dockerd.log" 2>&1 < /dev/null &
  echo $! > "$dir/dockerd.started"
  for _ in $(seq 1 600); do
    if curl -sf --unix-socket "$dir/docker.sock" http://d/_ping > /dev/null 2>&1; then exit 0; fi
    kill -0 "$(cat "$dir/dockerd.started")" 2>/dev/null || { echo "dockerd exited at start:" >&2; cat "$dir/dockerd.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "dockerd did not answer within 60 s" >&2; cat "$dir/dockerd.log" >&2; exit 1
  ;;
stop)
  if [ -f "$dir/dockerd.started" ]; then
    pid=$(cat "$dir/dockerd.started")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && { echo "dockerd $pid ignored SIGTERM for 60 s: SIGKILL" >&2; kill -KILL "$pid"; }
    fi
  fi
  # The containerd it started stops with it; anything still running from DIR (a shim) is ours to end.
  for p in $(pgrep -f -- "$dir/" || true); do
    [ "$p" = $$ ] && continue
    echo "dockerd left process $p: $(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null)" >&2; kill -KILL "$p" 2>/dev/null || true
  done
  { grep -o " $dir/[^ ]*" /proc/self/mountinfo || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  for h in /sys/fs/cgroup/*/; do
    c=$(basename "$h"); own=$(own_cgroup "$c"); [ "$c" = unified ] && own=$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup)
    target=$h${own#/}/$parent
    [ -d "$target" ] && find "$target" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  # Directories dockerd and its containerd make outside DIR (plugins, shim sockets), when this start made them.
  while read -r made; do rmdir "$made" 2>/dev/null || true; done < <(tac "$dir/made-outside" 2>/dev/null || true)
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR CGROUP_PARENT [NETNS]" >&2; exit 2 ;;
esac
