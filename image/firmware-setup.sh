#!/bin/sh
# mmdebstrap --setup-hook: the Pi firmware's settings, written before raspi-firmware installs so
# that its kernel hook writes cmdline.txt with them: the root partition by label (the same on an
# SD card, a USB disk or qemu's virtio disk) and a serial console.
set -e
mkdir -p "$1/etc/default" "$1/etc/initramfs-tools/conf.d"
printf 'ROOTPART=LABEL=cefiot-root\nCONSOLES="ttyS1,115200 tty0"\n' > "$1/etc/default/raspi-firmware"
