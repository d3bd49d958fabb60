#!/usr/bin/env bash
# Runs one command inside the pure cgroup-v2 test VM (qemu, TCG) and exits with its status.
#
#   tests/vm/run-in-vm.sh [-s] [-t SECONDS] [-o DIR] [-e NAME=VALUE]... [--] COMMAND [ARG]...
#
# The guest boots Debian's kernel with cgroup_no_v1=all on the host's own root filesystem (read-only over 9p, under a
# tmpfs overlay, so nothing it writes reaches the host), with every cgroup2 controller enabled at the root, and runs
# COMMAND as root in the root cgroup, in the current directory, with a clean environment plus the -e variables,
# BERTH_VM=1, BERTH_VM_OUT (a directory whose files are copied to the host's DIR given with -o) and BERTH_VM_SCRATCH
# (an empty tmpfs, e.g. for overlayfs upper dirs, which the overlay root refuses). The guest console (COMMAND's
# output) streams to stdout. With -s the guest boots the host's systemd as PID 1 instead of a busybox init that mounts
# cgroup2 itself (guest-init.sh): into a target whose one service runs COMMAND (in that service's cgroup) after
# sysinit.target, with generators and sysinit units other than journald masked to keep the boot short under TCG.
#
# Exit status: COMMAND's; 124 when the hard timeout (-t, default $BERTH_VM_TIMEOUT or 600 s) fired; 255 when the VM
# gave no status (a panic, a missing 9p tag, ...). Knobs: BERTH_VM_CPUS (default: the host's CPUs), BERTH_VM_MEMORY
# (default 2G), BERTH_VM_CACHE (kernel and initramfs, see vm-image.sh).
#
# Only files on the host's root filesystem are visible in the guest: it exports a non-recursive bind of /, made in a
# private mount namespace that dies with qemu, so the host's mount table never changes (cgroups.md §6.5).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() {
  sed -n 's/^#   //p' "$0" >&2
  exit 2
}
timeout=${BERTH_VM_TIMEOUT:-600}
out=""
envs=()
init=busybox
while getopts st:o:e:h opt; do
  case "$opt" in
    s) init=systemd;;
    t) timeout=$OPTARG;;
    o) out=$OPTARG;;
    e) envs+=("$OPTARG");;
    *) usage;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
log() { echo "run-in-vm: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  log "needs root (qemu's 9p export of / and a private mount namespace)"
  exit 255
fi
if [ "$(findmnt -n -o TARGET -T "$PWD")" != / ]; then
  log "$PWD is not on the root filesystem; the VM sees only the host's root filesystem"
  exit 255
fi
image=$("$here/vm-image.sh") || { log "cannot prepare the VM image"; exit 255; }
eval "$image"

tmp=$(mktemp -d /tmp/berth-vm.XXXXXX)
vm=""
cleanup() {
  # The root view lives only in qemu's mount namespace; here it is an empty directory.
  [ -n "$vm" ] && kill -0 "$vm" 2>/dev/null && kill -TERM "$vm" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/job/out" "$tmp/root"
mkfifo "$tmp/console"
cp "$here/guest-init.sh" "$tmp/job/"
echo "$init" > "$tmp/job/init"
pwd > "$tmp/job/cwd"
{
  for e in "${envs[@]}"; do printf 'export %q\n' "$e"; done
  printf 'exec'
  printf ' %q' "$@"
  echo
} > "$tmp/job/command.sh"

started=$(date +%s.%N)
cpus=${BERTH_VM_CPUS:-$(nproc)}
command_line="$*"
[ ${#command_line} -le 120 ] || command_line="${command_line:0:117}..."
log "booting $(basename "$BERTH_VM_KERNEL") ($init) with $cpus CPUs, ${BERTH_VM_MEMORY:-2G} memory, timeout ${timeout} s: ${command_line//$'\n'/ }"
unshare -m --propagation private sh -c 'mount --bind / "$0" && mount -o remount,bind,ro "$0" && exec "$@"' "$tmp/root" \
  timeout -k 5 "$timeout" \
  qemu-system-x86_64 -accel tcg,thread=multi,tb-size=512 -cpu max -m "${BERTH_VM_MEMORY:-2G}" -smp "$cpus" \
    -nodefaults -no-user-config -display none -serial stdio -no-reboot \
    -kernel "$BERTH_VM_KERNEL" -initrd "$BERTH_VM_INITRD" \
    -append "console=ttyS0 quiet loglevel=1 panic=-1 cgroup_no_v1=all mitigations=off random.trust_cpu=on tsc=reliable" \
    -device virtio-rng-pci \
    -virtfs local,path="$tmp/root",mount_tag=root,security_model=none,readonly=on \
    -virtfs local,path="$tmp/job",mount_tag=job,security_model=none \
  < /dev/null > "$tmp/console" 2>&1 &
vm=$!
# timeout runs qemu in a process group of its own: forward an interrupt to it (it passes it on to qemu).
interrupted=""
trap 'interrupted=1; log "interrupted; stopping the VM"; kill -TERM "$vm" 2>/dev/null' INT TERM
tr -d '\r' < "$tmp/console" &
reader=$!
while :; do
  wait "$vm"
  vm_status=$?
  kill -0 "$vm" 2>/dev/null || break
done
vm=""
wait "$reader"
elapsed=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }")

if [ -n "$out" ]; then
  mkdir -p "$out"
  cp -r "$tmp/job/out/." "$out/"
fi
if [ -f "$tmp/job/exit-code" ]; then
  status=$(cat "$tmp/job/exit-code")
  log "exit $status after $elapsed s"
  exit "$status"
fi
if [ -n "$interrupted" ]; then
  exit 130
fi
if [ "$vm_status" = 124 ] || [ "$vm_status" = 137 ]; then
  log "timed out after ${timeout} s (the VM was stopped)"
  exit 124
fi
log "the VM gave no exit status (qemu exited with $vm_status after $elapsed s)"
exit 255
