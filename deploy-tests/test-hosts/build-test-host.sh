#!/usr/bin/env bash
# Builds the Docker image the Ansible test's hosts run: Debian bookworm booting systemd as
# PID 1, with sshd and a first user `pi` who may sudo (as Raspberry Pi Imager sets one up),
# and, preinstalled, the Debian packages the roles install (the test hosts reach no mirror).
#
#   deploy-tests/test-hosts/build-test-host.sh [--tag cefiot-test-host:bookworm] [--recipe-hash]
#
# Needs root, mmdebstrap and a running dockerd. The image is labelled with the recipe's
# SHA-256 (--recipe-hash prints it), so the test rebuilds it only when the recipe changes.
# shellcheck disable=SC2016  # the mmdebstrap hooks' "$1" is the root filesystem, expanded by mmdebstrap
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tag="cefiot-test-host:bookworm"
mirror="${CEFIOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# shellcheck source=container/slim-rootfs.sh
source "$here/../../container/slim-rootfs.sh"
# The recipe: this script and the options it sources. The image carries its hash.
recipe_hash="$(cat "$0" "$here/../../container/slim-rootfs.sh" | sha256sum | cut -d' ' -f1)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --recipe-hash) echo "$recipe_hash"; exit 0 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-test-host: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
fail() { echo "build-test-host: $*" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || fail "run as root (mmdebstrap installs packages into the root filesystem)"
command -v mmdebstrap >/dev/null || fail "mmdebstrap is missing: apt-get install mmdebstrap"
docker info >/dev/null 2>&1 || fail "no Docker engine answers: start dockerd first"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# What a fresh node has (systemd, sshd, python3 for Ansible), then what the roles install:
# base (nftables, timesyncd, rsync, sudo), java, camera (v4l-utils, libgtk2.0-0).
packages=systemd,systemd-sysv,dbus,openssh-server,python3,python3-apt,sudo,iproute2,procps
packages+=,nftables,systemd-timesyncd,rsync,openjdk-17-jre-headless,v4l-utils,libgtk2.0-0,udev
echo "build-test-host: Debian bookworm with systemd and sshd (mmdebstrap, a few minutes)..." >&2
start=$(date +%s)
mmdebstrap "${slim_rootfs_options[@]}" --include="$packages" \
  --customize-hook='chroot "$1" useradd --create-home --shell /bin/bash --groups sudo pi' \
  --customize-hook='echo "pi ALL=(ALL) NOPASSWD: ALL" > "$1/etc/sudoers.d/010-pi" && chmod 0440 "$1/etc/sudoers.d/010-pi"' \
  --customize-hook='mkdir -p "$1/home/pi/.ssh" && chroot "$1" chown pi:pi /home/pi/.ssh && chmod 0700 "$1/home/pi/.ssh"' \
  bookworm "$work/rootfs.tar" "$mirror"
echo "build-test-host: root filesystem in $(( $(date +%s) - start )) s" >&2
docker import \
  --change 'CMD ["/lib/systemd/systemd"]' \
  --change "LABEL io.cefiot.test-host-recipe=$recipe_hash" \
  "$work/rootfs.tar" "$tag" >/dev/null
echo "build-test-host: $tag, $(( $(docker image inspect -f '{{.Size}}' "$tag") / 1024 / 1024 )) MiB" >&2
