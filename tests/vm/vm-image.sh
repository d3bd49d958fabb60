#!/usr/bin/env bash
# Makes the cgroup-v2 test VM bootable: installs the Debian packages it needs, fetches Debian's generic kernel
# (apt-get download, never installed) and builds a busybox initramfs that loads the 9p, virtio and overlay modules.
# Both are cached in $BERTH_VM_CACHE (default /var/cache/berth-vm) and rebuilt only when missing, or, for the
# initramfs, when its inputs changed. Prints, for eval:
#   BERTH_VM_KERNEL=<vmlinux or vmlinuz>
#   BERTH_VM_INITRD=<initramfs.cpio.gz>
# Notes and measurements: /work/shared/cgroups.md §6 (kernel §6.3, initramfs §6.4).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${BERTH_VM_CACHE:-/var/cache/berth-vm}
modules=(virtio_pci 9pnet_virtio 9p virtio-rng overlay)

log() { echo "vm-image: $*" >&2; }
die() { log "$*"; exit 1; }

"$repo/scripts/install-deps.sh" qemu-system-x86 busybox-static cpio xz-utils >&2

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # lanes running at once share one cache

# The kernel: $cache/kernel/{vmlinux|vmlinuz, modules/*.ko, modules/order, release}.
fetch_kernel() {
  local package tmp vmlinuz release offset dir
  package=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | sed -n 1p)
  if [ -z "$package" ]; then
    apt-get update >&2
    package=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | sed -n 1p)
  fi
  [ -n "$package" ] || die "apt-cache depends linux-image-amd64 names no kernel package"
  case "$package" in *-cloud-*) die "$package: the cloud flavour has no 9p support";; esac
  log "fetching $package"
  tmp=$(mktemp -d "$cache/.kernel.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # apt-get download as root into a directory _apt cannot write warns and downloads unsandboxed; that is fine.
  (cd "$tmp" && apt-get download "$package" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) || true
  compgen -G "$tmp/*.deb" >/dev/null || die "apt-get download $package failed"
  dpkg -x "$tmp"/*.deb "$tmp/deb"
  vmlinuz=$(echo "$tmp"/deb/boot/vmlinuz-*)
  [ -f "$vmlinuz" ] || die "$package has no /boot/vmlinuz-*"
  release=${vmlinuz##*/vmlinuz-}
  mkdir -p "$tmp/kernel/modules"

  # An uncompressed ELF vmlinux boots through the PVH entry point: no SeaBIOS bzImage path, no in-guest XZ (4 s per boot).
  # (sed, not head, reads all its input: no SIGPIPE for pipefail to trip on.)
  offset=$(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$vmlinuz" | cut -d: -f1 | sed -n 1p)
  if [ -n "$offset" ] && xz -dc --single-stream < <(tail -c +$((offset + 1)) "$vmlinuz") > "$tmp/kernel/vmlinux" 2>/dev/null &&
      [ "$(head -c 4 "$tmp/kernel/vmlinux" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
    :
  else
    log "no ELF vmlinux inside $(basename "$vmlinuz"); booting the compressed image"
    rm -f "$tmp/kernel/vmlinux"
    cp "$vmlinuz" "$tmp/kernel/vmlinuz"
  fi

  # The modules the initramfs loads, each after what it depends on (modules.dep; the .deb ships none, depmod makes it).
  dir=$tmp/deb/lib/modules/$release
  [ -f "$dir/modules.dep" ] || busybox depmod -b "$tmp/deb" "$release"
  local -a order=()
  add_module() { # $1: a path relative to $dir, as in modules.dep
    local path=$1 dep
    for dep in $(sed -n "s|^$path: *||p" "$dir/modules.dep"); do add_module "$dep"; done
    [[ " ${order[*]} " == *" $path "* ]] || order+=("$path")
  }
  local name path
  for name in "${modules[@]}"; do
    path=$(grep -E "(^|/)$name\.ko(\.xz)?:" "$dir/modules.dep" | sed -n '1s/:.*//p')
    if [ -z "$path" ]; then
      grep -qE "(^|/)$name\.ko$" "$dir/modules.builtin" || die "$package has no module $name"
      continue
    fi
    add_module "$path"
  done
  for path in "${order[@]}"; do
    name=$(basename "${path%.xz}")
    case "$path" in
      *.xz) xz -dc "$dir/$path" > "$tmp/kernel/modules/$name";;
      *) cp "$dir/$path" "$tmp/kernel/modules/$name";;
    esac
    echo "$name" >> "$tmp/kernel/modules/order"
  done
  echo "$package $release" > "$tmp/kernel/release"

  rm -rf "$cache/kernel"
  mv "$tmp/kernel" "$cache/kernel"
  rm -rf "$tmp"
  trap - EXIT
  log "cached $package ($release) in $cache/kernel: $(basename "$(echo "$cache"/kernel/vmlinu*)"), modules $(tr '\n' ' ' < "$cache/kernel/modules/order")"
}

# The initramfs: busybox, the modules and /init; rebuilt when any of them changes.
build_initramfs() {
  local tmp
  tmp=$(mktemp -d "$cache/.initramfs.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/root"/{bin,dev,proc,sys,lower,rw,newroot}
  cp /bin/busybox "$tmp/root/bin/busybox"
  cp -r "$cache/kernel/modules" "$tmp/root/modules"
  cp "$here/initramfs-init" "$tmp/root/init"
  chmod 755 "$tmp/root/init"
  (cd "$tmp/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$tmp/initramfs.cpio.gz"
  mv "$tmp/initramfs.cpio.gz" "$cache/initramfs.cpio.gz"
  echo "$1" > "$cache/initramfs.key"
  rm -rf "$tmp"
  trap - EXIT
  log "built $cache/initramfs.cpio.gz"
}

if [ ! -f "$cache/kernel/release" ] || ! compgen -G "$cache/kernel/vmlinu*" >/dev/null; then
  fetch_kernel
fi
key=$(cat "$cache/kernel/release" "$cache/kernel/modules/order" /bin/busybox "$here/initramfs-init" | sha256sum | cut -d' ' -f1)
if [ ! -f "$cache/initramfs.cpio.gz" ] || [ "$(cat "$cache/initramfs.key" 2>/dev/null)" != "$key" ]; then
  build_initramfs "$key"
fi

kernel=$cache/kernel/vmlinux
[ -f "$kernel" ] || kernel=$cache/kernel/vmlinuz
echo "BERTH_VM_KERNEL=$kernel"
echo "BERTH_VM_INITRD=$cache/initramfs.cpio.gz"
