#!/usr/bin/env bash
# Installs, from Debian's packages, what the tests need beyond the JDK and Maven. `mvn -B verify`
# runs it first (not with -DskipTests). As root it installs what is missing; as another user it
# lists what is missing, and the tests that need it are reported as skipped, each naming the tool.
# kubectl (for the k3s overlays) is not here: Debian 12's kubernetes-client is 1.20, whose
# kustomize is too old; install kubectl 1.21 or later yourself.
set -euo pipefail

# command:package, one per tool a test calls.
tools=(
  ip:iproute2 tc:iproute2
  chromium:chromium chromedriver:chromium-driver
  mmdebstrap:mmdebstrap buildah:buildah dockerd:docker.io
  ansible-playbook:ansible ansible-lint:ansible-lint rsync:rsync ssh:openssh-client ssh-keygen:openssh-client
  shellcheck:shellcheck genimage:genimage mcopy:mtools mkfs.vfat:dosfstools
  promtool:prometheus
)

missing=()
for tool in "${tools[@]}"; do
  command=${tool%%:*}
  package=${tool#*:}
  if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$command" >/dev/null; then
    [[ " ${missing[*]} " == *" $package "* ]] || missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-packages: every tool the tests call is installed."
elif [ "$(id -u)" = 0 ]; then
  echo "install-packages: installing ${missing[*]} (Debian packages the tests call)..."
  apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-packages: not root, so not installing ${missing[*]}: the tests that need them are skipped, each naming what it needs."
fi
if ! command -v kubectl >/dev/null; then
  echo "install-packages: no kubectl: the k3s overlay tests are skipped (they need kubectl 1.21 or later)."
fi
