#!/usr/bin/env bash
# Installs what building and testing Berth needs on Debian 12, from Debian's packages only.
# With arguments, installs those packages instead (e.g. the VM test lane's). Idempotent: packages already
# present are not touched. Run as root.
set -euo pipefail

packages=(
  gcc libc6-dev make          # the static C launcher
  clang zlib1g-dev            # NativeAOT (berth-init, berthd, berth)
  busybox-static              # the offline test images
  iproute2 util-linux         # ip, unshare, nsenter for tests
  libnftables1                # berthd's nftables table, in-process (src/Berth.Network)
  nftables python3            # the networking tests read the nft table and talk to published ports
  docker-registry skopeo      # the registry tests: a real registry per fixture, seeded by skopeo
  apache2-utils openssl       # htpasswd -B and a test CA for the registry auth and TLS tests
  docker-compose python3-docker  # the compose tests run the real docker-compose 1.29 and docker-py against berthd
)
[ $# -gt 0 ] && packages=("$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" || {
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
  }
fi
# The tests run docker-registry themselves, on loopback; the package's own service must not listen on :5000.
if [ -e /lib/systemd/system/docker-registry.service ]; then
  systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-deps: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 1
fi
