# Sourced by the scripts that build the project's Debian root filesystems with mmdebstrap (the
# container image, the Ansible test hosts, the SD card image): the options that keep them small. Docs, man pages
# and translations are left out (a JRE's postinst still links its man page, so the man1 folder
# must exist), and so are apt's binary caches and the JDK's sources.
# shellcheck shell=bash
# shellcheck disable=SC2016,SC2034  # the hooks' $1 is expanded by mmdebstrap; the sourcing script uses the array
slim_rootfs_options=(
  --mode=root --variant=minbase
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
  --essential-hook='mkdir -p "$1/usr/share/man/man1"'
  --customize-hook='rm -rf "$1"/var/cache/apt/*.bin "$1"/usr/lib/jvm/*/lib/src.zip'
)
