#!/usr/bin/env bash
# Builds examples/demo-image.tar, the small image the README's quick start scans.
# Real Debian 12 packages (apt-get download + dpkg -x, with the dpkg status their control files
# give), in three layers, plus a fourth that deletes a credentials file the third one left:
#   1. base-files zlib1g tar libexpat1        (OS: Debian 12)
#   2. python3-urllib3 python3-requests       (Python dist-packages: PyPI advisories apply)
#   3. a leaked AWS credentials file          (a generated, fake key)
#   4. rm of that file                        (still in the image: layer 3 holds it)
# Needs: apt-get (Debian 12 sources), dpkg-deb, umoci, skopeo. Run from the repository root.
set -euo pipefail
out=${1:-examples/demo-image.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

add_debs() { # rootfs status-file packages...
  local root=$1 status=$2; shift 2
  (cd "$work/debs" && apt-get download -q "$@" >/dev/null)
  for p in "$@"; do
    deb=$(ls "$work"/debs/"${p}"_*.deb)
    dpkg-deb -x "$deb" "$root"
    dpkg-deb -f "$deb" Package | sed 's/^/Package: /' >>"$status"
    echo "Status: install ok installed" >>"$status"
    dpkg-deb -f "$deb" Priority Section Installed-Size Maintainer Architecture Multi-Arch Source Version Depends \
      Description >>"$status"
    echo >>"$status"
  done
}

mkdir -p "$work/debs"
umoci init --layout "$work/layout"
umoci new --image "$work/layout:empty"
umoci unpack --image "$work/layout:empty" "$work/bundle" >/dev/null
root="$work/bundle/rootfs"
mkdir -p "$root/var/lib/dpkg"
status="$root/var/lib/dpkg/status"
: >"$status"

add_debs "$root" "$status" base-files zlib1g tar libexpat1
umoci repack --refresh-bundle --image "$work/layout:demo" \
  --history.created_by "dpkg -i base-files zlib1g tar libexpat1" "$work/bundle"

add_debs "$root" "$status" python3-urllib3 python3-requests
umoci repack --refresh-bundle --image "$work/layout:demo" \
  --history.created_by "dpkg -i python3-urllib3 python3-requests" "$work/bundle"

mkdir -p "$root/root/.aws"
key=$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)
id="AKIA$(head -c 20 /dev/urandom | base32 | tr -dc 'A-Z2-7' | head -c 16)"
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$id" "$key" >"$root/root/.aws/credentials"
umoci repack --refresh-bundle --image "$work/layout:demo" \
  --history.created_by "COPY credentials /root/.aws/credentials" "$work/bundle"

rm -rf "$root/root/.aws"
umoci repack --refresh-bundle --image "$work/layout:demo" --history.created_by "RUN rm -rf /root/.aws" "$work/bundle"
umoci config --image "$work/layout:demo" --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.cmd /bin/sh

rm -f "$out"
skopeo copy -q "oci:$work/layout:demo" "oci-archive:$out:demo"
ls -la "$out"
