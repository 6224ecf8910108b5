#!/usr/bin/env bash
# Builds examples/demo-image.tar, the small image the README's quick start scans.
# Real Debian 12 packages installed by dpkg itself into the image root (`dpkg --root --unpack`: dpkg
# writes the files, var/lib/dpkg/status and each package's info/*.list and md5sums, as in any
# Debian image), in three layers, plus a fourth that deletes a credentials file the third one left:
#   1. base-files zlib1g tar libexpat1        (OS: Debian 12)
#   2. python3-urllib3 python3-requests       (Debian's Python modules: Debian advisories apply, not PyPI's)
#   3. a leaked AWS credentials file          (a generated, fake key)
#   4. rm of that file                        (still in the image: layer 3 holds it)
# The root has no shell or libc, so the postinst scripts (byte-compiling, alternatives) cannot run
# in it: the packages are unpacked, then configured as dpkg would but without those scripts
# (conffiles moved from .dpkg-new into place, status installed). None of these has a preinst.
# Needs: apt-get (Debian 12 sources), dpkg, umoci, skopeo. Run from the repository root.
set -euo pipefail
out=${1:-examples/demo-image.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

add_debs() { # rootfs packages...
  local root=$1; shift
  (cd "$work/debs" && apt-get download -q "$@" >/dev/null)
  local debs=()
  for p in "$@"; do debs+=("$(ls "$work"/debs/"${p}"_*.deb)"); done
  # the dependencies (libc6, python3...) are not in this small image: --force-depends
  dpkg --root="$root" --force-depends --unpack "${debs[@]}" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; exit 1; }
  # what configure does besides running postinst: the new conffiles take their place...
  for p in "$@"; do
    [ -f "$root/var/lib/dpkg/info/$p.conffiles" ] || continue
    while read -r f; do
      if [ -e "$root$f.dpkg-new" ]; then mv "$root$f.dpkg-new" "$root$f"; fi
    done <"$root/var/lib/dpkg/info/$p.conffiles"
  done
  # ...and the status says installed
  sed -i 's/^Status: install ok unpacked$/Status: install ok installed/' "$root/var/lib/dpkg/status"
  rm -f "$root"/var/lib/dpkg/status-old "$root"/var/lib/dpkg/available-old
}

mkdir -p "$work/debs"
umoci init --layout "$work/layout"
umoci new --image "$work/layout:empty"
umoci unpack --image "$work/layout:empty" "$work/bundle" >/dev/null
root="$work/bundle/rootfs"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: >"$root/var/lib/dpkg/status"

add_debs "$root" base-files zlib1g tar libexpat1
umoci repack --refresh-bundle --image "$work/layout:demo" \
  --history.created_by "dpkg -i base-files zlib1g tar libexpat1" "$work/bundle"

add_debs "$root" python3-urllib3 python3-requests
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
