#!/usr/bin/env bash
# Builds the CEFIoT container image for one architecture from Debian packages and the
# project's jar: a minimal Debian bookworm root filesystem with the Java 17 runtime
# (mmdebstrap), the jar and its libraries under /opt/cefiot, made into an image by buildah.
#
#   container/build-image.sh [--arch amd64|arm64] [--tag IMAGE] [--out DIR] [--no-docker]
#
# IMAGE defaults to the one reference container/image.env names (cefiot:0.1.0), which the k3s
# manifests run. Writes DIR/cefiot-rootfs-ARCH.tar and the image DIR/cefiot-TAG-ARCH.image.tar
# (made by buildah; a docker-archive holding IMAGE, which k3s imports offline from
# /var/lib/rancher/k3s/agent/images/, where the Ansible k3s path puts it) and, unless
# --no-docker, loads it into Docker as IMAGE when ARCH is this machine's.
#
# Needs root, mmdebstrap, buildah and (to load the image) a running dockerd; arm64 on an amd64
# host also needs qemu-user-static, binfmt-support and arch-test, with binfmt_misc mounted.
# No registry is used.
# shellcheck disable=SC2016  # the mmdebstrap hooks' "$1" is the root filesystem, expanded by mmdebstrap
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch="$(dpkg --print-architecture)"
# shellcheck source=container/image.env
source "$root/container/image.env"
tag="$CEFIOT_IMAGE"
out="$root/container/target"
docker_import=true
mirror="${CEFIOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-docker) docker_import=false; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$arch" in
  amd64) natives_of_other_arch='*-linux-arm64.jar' ;;
  arm64) natives_of_other_arch='*-linux-x86_64.jar' ;;
  *) echo "build-image: --arch must be amd64 or arm64, not $arch" >&2; exit 2 ;;
esac
fail() { echo "build-image: $*" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || fail "run as root: mmdebstrap needs it to install the Java runtime's packages"
command -v mmdebstrap >/dev/null || fail "mmdebstrap is missing: apt-get install mmdebstrap"
command -v buildah >/dev/null || fail "buildah is missing: apt-get install buildah"
if [[ "$arch" != "$(dpkg --print-architecture)" ]]; then
  [[ -e /proc/sys/fs/binfmt_misc/register ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
    || fail "cannot mount binfmt_misc, needed to run $arch programs while installing packages"
  [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || update-binfmts --enable qemu-aarch64 2>/dev/null \
    || fail "no qemu for $arch: apt-get install qemu-user-static binfmt-support"
  command -v arch-test >/dev/null || fail "mmdebstrap needs arch-test for a foreign architecture: apt-get install arch-test"
fi
if $docker_import && [[ "$arch" != "$(dpkg --print-architecture)" ]]; then
  # Loaded, it would take IMAGE from this machine's own build; its nodes import the archive.
  echo "build-image: an $arch image is not loaded into this $(dpkg --print-architecture) machine's Docker (only the archive is written)" >&2
  docker_import=false
fi
if $docker_import; then
  docker info >/dev/null 2>&1 || fail "no Docker engine answers: start dockerd (see container/README.md) or pass --no-docker"
fi

jar="$root/app/target/cefiot.jar"
if [[ ! -f "$jar" || ! -d "$root/app/target/lib" ]]; then
  echo "build-image: building the jar..." >&2
  mvn -q -B -f "$root/pom.xml" -pl app -am -DskipTests package >&2
fi

mkdir -p "$out"
app="$out/app-$arch"
rm -rf "$app"
mkdir -p "$app/bin"
cp "$jar" "$app/cefiot.jar"
cp -r "$root/app/target/lib" "$app/lib"
# The jar carries JavaCV's native libraries for both architectures: keep this one's only.
find "$app/lib" -name "$natives_of_other_arch" -delete
install -m 0755 "$root/container/cefiot-entrypoint.sh" "$app/bin/cefiot"

rootfs="$out/cefiot-rootfs-$arch.tar"
echo "build-image: Debian bookworm $arch root filesystem with openjdk-17-jre-headless (mmdebstrap)..." >&2
start=$(date +%s)
# /deployments: Camel K's jvm trait starts java there; the image has it (empty, root's) instead of
# leaving it to the container runtime. The image user (uid 10001) is written straight into passwd/group, which works for any
# architecture without running a foreign useradd. Docs, man pages and apt's lists are left out
# (the JRE's postinst still links its man page, so the man1 folder must exist). libgtk2.0-0:
# JavaCV's OpenCV (used by the camera's motion detection) links against GTK even when headless.
# shellcheck source=container/slim-rootfs.sh
source "$root/container/slim-rootfs.sh"
mmdebstrap "${slim_rootfs_options[@]}" --arch="$arch" \
  --include=openjdk-17-jre-headless,libgtk2.0-0 \
  --customize-hook='echo "cefiot:x:10001:10001:CEFIoT:/var/lib/cefiot:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "cefiot:x:10001:" >> "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/opt/cefiot" "$1/var/lib/cefiot" "$1/var/lib/kafka" && chown 10001:10001 "$1/var/lib/cefiot" "$1/var/lib/kafka"' \
  --customize-hook='mkdir -p "$1/deployments"' \
  --customize-hook="sync-in '$app' /opt/cefiot" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
  bookworm "$rootfs" "$mirror"
echo "build-image: root filesystem $(du -h "$rootfs" | cut -f1) in $(( $(date +%s) - start )) s: $rootfs" >&2

# buildah turns the tarball into an image with the right architecture in its config (Debian's
# docker 20.10 import ignores --platform and would label an arm64 image amd64), without a daemon.
version="${tag##*:}"
archive="$out/cefiot-$version-$arch.image.tar"
buildah=(buildah --storage-driver vfs)
container=$("${buildah[@]}" from --arch "$arch" scratch)
trap '"${buildah[@]}" rm "$container" >/dev/null 2>&1 || true' EXIT
"${buildah[@]}" add "$container" "$rootfs" / >/dev/null
"${buildah[@]}" config --arch "$arch" --os linux \
  --entrypoint '["/opt/cefiot/bin/cefiot"]' --user 10001 --workingdir /var/lib/cefiot --env LANG=C.UTF-8 \
  --port 8080 --port 9092 --port 9093 \
  --label "io.cefiot.jar-sha256=$(sha256sum "$jar" | cut -d' ' -f1)" \
  --label "org.opencontainers.image.description=CEFIoT $version ($arch), built by container/build-image.sh" "$container"
"${buildah[@]}" commit -q "$container" "localhost/$tag-$arch" >/dev/null
rm -f "$archive"
# The archive names the image as the pods do: every architecture's archive holds the same IMAGE.
"${buildah[@]}" push -q "localhost/$tag-$arch" "docker-archive:$archive:$tag"
"${buildah[@]}" rmi "localhost/$tag-$arch" >/dev/null
echo "build-image: image $tag ($arch), $(du -h "$archive" | cut -f1) archive: $archive" >&2

if $docker_import; then
  docker load -q -i "$archive" >/dev/null
  size=$(docker image inspect -f '{{.Size}}' "$tag")
  echo "build-image: loaded into Docker as $tag, $(( size / 1024 / 1024 )) MiB" >&2
fi
