#!/usr/bin/env bash
# Builds the CEFIoT SD card image for Raspberry Pi class arm64 nodes from Debian packages, the
# project's jars and its Ansible roles:
#   1. a Debian bookworm arm64 root filesystem with the kernel, the Pi firmware and Ansible
#      (mmdebstrap; cached in OUT/cache by the package list's hash);
#   2. the project's provisioning tree (playbooks, roles, Kafka's jars, the CEFIoT jar and the
#      routes) in /usr/share/cefiot/provisioning, and this folder's rootfs/ overlay (first boot);
#   3. site.yml run inside the root filesystem (chroot, local connection) with
#      image-inventory.yml: the roles install everything and start nothing;
#   4. genimage lays out the card (genimage.cfg: FAT boot partition, ext4 root);
#   5. OUT/cefiot-VERSION-arm64.img with its .bmap, .sha256 and .img.xz.
#
#   image/build.sh [--out DIR] [--version V] [--k3s-airgap DIR] [--boot-test]
#
# --k3s-airgap DIR puts a k3s airgap bundle (the k3s binary and k3s-airgap-images-arm64.tar*)
# into the image, so that a node with runtime = k3s needs no download. --boot-test runs
# image/boot-test.sh on the result (qemu-system-aarch64).
#
# Needs root, mmdebstrap, qemu-user-static, binfmt-support, arch-test, genimage, dosfstools,
# mtools, e2fsprogs, bmap-tools and xz-utils, and reaches Debian's mirror (CEFIOT_DEBIAN_MIRROR).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/image"
out="$here/target"
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -n 1)"
k3s_airgap=""
boot_test=false
mirror="${CEFIOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --k3s-airgap) k3s_airgap="$2"; shift 2 ;;
    --boot-test) boot_test=true; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
fail() { echo "build: $*" >&2; exit 1; }
step_started=$SECONDS
step() { echo "build: [$((SECONDS - step_started)) s] $*" >&2; }

[[ "$(id -u)" == 0 ]] || fail "run as root: mmdebstrap, chroot and genimage need it"
for tool in mmdebstrap:mmdebstrap genimage:genimage mkfs.vfat:dosfstools mcopy:mtools mke2fs:e2fsprogs \
            bmaptool:bmap-tools xz:xz-utils arch-test:arch-test qemu-aarch64-static:qemu-user-static; do
  command -v "${tool%%:*}" >/dev/null || fail "${tool%%:*} is missing: apt-get install ${tool##*:}"
done
[[ -e /proc/sys/fs/binfmt_misc/register ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
  || fail "cannot mount binfmt_misc, needed to run arm64 programs while installing packages"
[[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || update-binfmts --enable qemu-aarch64 2>/dev/null \
  || fail "no qemu for arm64: apt-get install qemu-user-static binfmt-support"
if [[ -n "$k3s_airgap" ]]; then
  if [[ ! -f "$k3s_airgap/k3s" ]] || ! compgen -G "$k3s_airgap/k3s-airgap-images-arm64.tar*" >/dev/null; then
    fail "--k3s-airgap $k3s_airgap must hold the k3s binary (k3s) and k3s-airgap-images-arm64.tar[.zst|.gz]"
  fi
fi

if [[ ! -f "$root/app/target/cefiot.jar" || ! -d "$root/ansible/target/kafka/libs" ]]; then
  step "building the jar and collecting Kafka's jars (mvn -pl app,ansible -am package)..."
  mvn -q -B -f "$root/pom.xml" -pl app,ansible -am -DskipTests package >&2
fi

# --- 1. The base root filesystem -------------------------------------------------------------
# Packages the roles do not install: what boots the Pi (kernel, firmware, initramfs), brings up
# the network, grows the root file system and runs Ansible at first boot.
packages=(systemd-sysv udev dbus kmod openssh-server sudo python3 python3-apt ansible rsync
          linux-image-arm64 raspi-firmware cloud-guest-utils e2fsprogs dosfstools systemd-resolved
          systemd-timesyncd iproute2 ca-certificates nftables)
# shellcheck source=container/slim-rootfs.sh
source "$root/container/slim-rootfs.sh"
recipe_hash="$( (printf '%s\n' "${packages[@]}"; cat "$root/container/slim-rootfs.sh" "$here/firmware-setup.sh") \
  | sha256sum | cut -c1-12)"
base="$out/cache/base-rootfs-$recipe_hash.tar"
mkdir -p "$out/cache"
if [[ -f "$base" ]]; then
  step "base root filesystem: reusing $base"
else
  step "base root filesystem: mmdebstrap bookworm arm64 under qemu-user (about 30 minutes: the kernel's initramfs is slow to emulate)..."
  rm -f "$out"/cache/base-rootfs-*.tar
  # The Pi firmware's settings (root partition by label, serial console) are written before
  # raspi-firmware installs, so its kernel hook writes the right cmdline.txt; dpkg keeps them.
  mmdebstrap "${slim_rootfs_options[@]}" --arch=arm64 --components=main,non-free-firmware \
    --dpkgopt=force-confold --dpkgopt=force-confdef --include="$(IFS=,; echo "${packages[*]}")" \
    --setup-hook="$here/firmware-setup.sh \"\$1\"" --skip=cleanup/apt/lists \
    --format=tar bookworm "$base.partial" "$mirror"
  mv "$base.partial" "$base"
fi

# --- 2. The root filesystem: base, provisioning tree, overlay --------------------------------
work="$out/work"
rootfs="$work/rootfs"
unmount_all() {
  for m in dev/pts dev proc sys run; do mountpoint -q "$rootfs/$m" && umount -l "$rootfs/$m"; done
  return 0
}
trap unmount_all EXIT
unmount_all
rm -rf "$work" && mkdir -p "$rootfs"
step "unpacking the base root filesystem..."
tar -C "$rootfs" -xf "$base"
provisioning="$rootfs/usr/share/cefiot/provisioning"
mkdir -p "$provisioning/ansible/target/kafka" "$provisioning/app/target" "$provisioning/routes"
rsync -a --exclude=target "$root/ansible/" "$provisioning/ansible/"
rsync -a "$root/ansible/target/kafka/libs" "$provisioning/ansible/target/kafka/"
cp "$here/image-inventory.yml" "$provisioning/"
cp "$root/app/target/cefiot.jar" "$provisioning/app/target/"
rsync -a --exclude='*-linux-x86_64.jar' "$root/app/target/lib" "$provisioning/app/target/"
cp "$root"/routes/*.camel.yaml "$provisioning/routes/"
if [[ -n "$k3s_airgap" ]]; then
  mkdir -p "$rootfs/usr/share/cefiot/k3s-airgap"
  cp "$k3s_airgap"/k3s "$k3s_airgap"/k3s-airgap-images-arm64.tar* "$rootfs/usr/share/cefiot/k3s-airgap/"
fi
cp -a "$here/rootfs/." "$rootfs/"
cp "$here/cefiot.conf.sample" "$rootfs/boot/firmware/"

# --- 3. The roles, inside the root filesystem ------------------------------------------------
step "configuring with the Ansible roles (site.yml inside the arm64 root filesystem, emulated)..."
mount -t proc proc "$rootfs/proc"
mount -t sysfs sysfs "$rootfs/sys"
mount --bind /dev "$rootfs/dev"
mount --bind /dev/pts "$rootfs/dev/pts"
# What a booted node has and the roles' checks use (sshd -t needs its privilege separation folder).
mount -t tmpfs tmpfs "$rootfs/run"
mkdir -p "$rootfs/run/sshd"
# Packages the roles install must not start their services in the chroot (the Debian convention).
printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
resolv_link="$(readlink "$rootfs/etc/resolv.conf" || true)"
rm -f "$rootfs/etc/resolv.conf" && cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
chroot "$rootfs" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 ANSIBLE_NOCOLOR=1 \
  ANSIBLE_CONFIG=/usr/share/cefiot/provisioning/ansible/ansible.cfg \
  sh -c 'cd /usr/share/cefiot/provisioning/ansible &&
         ansible-playbook -i ../image-inventory.yml -e cefiot_image_build=true site.yml' >&2
rm -f "$rootfs/etc/resolv.conf" "$rootfs/usr/sbin/policy-rc.d"
ln -s "${resolv_link:-../run/systemd/resolve/stub-resolv.conf}" "$rootfs/etc/resolv.conf"
unmount_all

step "finishing the root filesystem (units, no host keys, no machine id, no passwords)..."
chroot "$rootfs" systemctl enable systemd-networkd systemd-resolved cefiot-ssh-host-keys cefiot-firstboot >&2
# Every card must get its own SSH host keys and machine id at first boot.
rm -f "$rootfs"/etc/ssh/ssh_host_*
: > "$rootfs/etc/machine-id"
rm -f "$rootfs/var/lib/dbus/machine-id"
echo cefiot-unconfigured > "$rootfs/etc/hostname"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/root/.ansible "$rootfs"/tmp/*
# No account may have a password: SSH takes keys only.
if awk -F: '$2 !~ /^[!*]/ { bad = bad " " $1 } END { if (bad) { print bad; exit 1 } }' "$rootfs/etc/shadow"; then
  :
else
  fail "accounts with a password in the image's /etc/shadow (see above); the image must ship none"
fi
if ! compgen -G "$rootfs/boot/firmware/vmlinuz-*" >/dev/null || ! compgen -G "$rootfs/boot/firmware/initrd.img-*" >/dev/null; then
  fail "raspi-firmware did not put the kernel and initramfs into /boot/firmware"
fi

# --- 4. The card ---------------------------------------------------------------------------
image="cefiot-$version-arm64.img"
step "laying out the card with genimage..."
mkdir -p "$work/genimage-tmp" "$work/input" "$out"
rm -f "$out/$image" "$out/$image".*
IMAGE_NAME="$image" genimage --config "$here/genimage.cfg" --rootpath "$rootfs" --tmppath "$work/genimage-tmp" \
  --inputpath "$work/input" --outputpath "$work" >&2
mv "$work/$image" "$out/$image"

# --- 5. Flashing aids ------------------------------------------------------------------------
step "writing the block map, the checksum and the xz copy..."
bmaptool create -o "$out/$image.bmap" "$out/$image"
(cd "$out" && sha256sum "$image" > "$image.sha256")
xz -T0 -6 -k -f "$out/$image"
rm -rf "$work"
step "done: $out/$image ($(du -h --apparent-size "$out/$image" | cut -f1), $(du -h "$out/$image.xz" | cut -f1) as .xz)"

if $boot_test; then
  "$here/boot-test.sh" "$out/$image"
fi
