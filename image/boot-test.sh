#!/usr/bin/env bash
# Boots an SD card image in qemu-system-aarch64 (-M virt, the image's own kernel, initramfs and
# root filesystem) as a one-node site and checks that first boot applied cefiot.conf, that Kafka
# and the stages run, and that an image dropped into the spool reaches the local Kafka topic and,
# through the uplink, a cloud Kafka node this script runs on the host's loopback (Kafka's jars
# from ansible/target/kafka/libs), which the guest reaches as 10.0.2.2.
#
#   image/boot-test.sh IMAGE [--keep]
#
# The card is a copy of IMAGE, 2 GiB larger (first boot must grow the root file system), with a
# cefiot.conf and a fresh SSH key for the operator. The node reaches nothing outside qemu's
# user-mode network; SSH comes in through a forwarded loopback port. Everything is emulated (TCG):
# expect 20-40 minutes on a 2-core machine. Logs (serial console, first boot) are kept in
# image/target/boot-test; --keep leaves the VM running for a look around (the command to log in is
# printed).
# shellcheck disable=SC2016  # the single-quoted commands run on the node, which expands them
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ $# -ge 1 && -f "$1" ]] || { echo "boot-test: usage: image/boot-test.sh IMAGE [--keep] (IMAGE from image/build.sh)" >&2; exit 2; }
image="$1"
keep=false
[[ "${2:-}" == "--keep" ]] && keep=true
for tool in qemu-system-aarch64:qemu-system-arm mcopy:mtools ssh:openssh-client java:openjdk-17-jre-headless; do
  command -v "${tool%%:*}" >/dev/null || { echo "boot-test: ${tool%%:*} is missing: apt-get install ${tool##*:}" >&2; exit 1; }
done
work="$here/target/boot-test"
rm -rf "$work" && mkdir -p "$work"
started=$SECONDS
say() { echo "boot-test: [$((SECONDS - started)) s] $*"; }
fail() { say "FAILED: $*"; echo "boot-test: serial console: $work/serial.log" >&2; exit 1; }

say "preparing the card from $image..."
cp --sparse=always "$image" "$work/card.img"
truncate -s +2G "$work/card.img"
# The boot partition's byte offset, from the first MBR entry (start sector at byte 454).
boot_offset=$(python3 -c 'import struct,sys; f=open(sys.argv[1],"rb"); f.seek(446+8); print(struct.unpack("<I", f.read(4))[0]*512)' "$work/card.img")
fat="$work/card.img@@$boot_offset"
# The kernel and initramfs the Pi firmware boots (config.txt's kernel= and initramfs lines).
mcopy -n -i "$fat" ::config.txt "$work/config.txt"
kernel=$(sed -n 's/^kernel=//p' "$work/config.txt")
initramfs=$(sed -n 's/^initramfs \([^ ]*\).*/\1/p' "$work/config.txt")
[[ -n "$kernel" && -n "$initramfs" ]] || fail "config.txt names no kernel= or initramfs"
mcopy -n -i "$fat" "::$kernel" "$work/vmlinuz"
mcopy -n -i "$fat" "::$initramfs" "$work/initrd.img"
ssh-keygen -q -t ed25519 -N '' -C boot-test -f "$work/operator-key"
site=boot-test
node=boot-node
cloud_port=19094
# A fresh console password per run: nothing in the project holds a fixed one.
console_password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
cat > "$work/cefiot.conf" <<EOF
# Written by image/boot-test.sh: a one-node site under qemu (user-mode network: 10.0.2.15).
hostname = $node
site_id = $site
masters = $node=10.0.2.15
cloud_bootstrap_servers = 10.0.2.2:$cloud_port
# The cloud here is a plaintext node on the host: this test boots the image; the secured uplink
# (TLS, SCRAM, ACLs) is tested by CloudSecurityTest and AnsibleSiteTest.
cloud_security = PLAINTEXT
camera = true
ssh_authorized_key = $(cat "$work/operator-key.pub")
console_user = admin:$console_password
# qemu has no camera: the synthetic source draws a frame every 5 s (a missing device stops the stages).
setting.camera.source = synthetic
setting.camera.interval-ms = 5000
EOF
"$here/rootfs/usr/local/sbin/cefiot-firstboot" --check --conf "$work/cefiot.conf"
mcopy -i "$fat" "$work/cefiot.conf" ::cefiot.conf

# The cloud: one KRaft node on the host's loopback. The guest's listener is advertised as the guest
# sees the host; the node talks to itself (transactions) on a loopback listener, since 10.0.2.2
# means nothing on the host.
kafka_libs="$here/../ansible/target/kafka/libs"
[[ -d "$kafka_libs" ]] || fail "no Kafka jars in $kafka_libs: mvn -pl ansible package (build.sh does it)"
cat > "$work/cloud.properties" <<EOF
process.roles=broker,controller
node.id=0
controller.quorum.voters=0@127.0.0.1:$((cloud_port + 1))
listeners=GUEST://127.0.0.1:$cloud_port,CONTROLLER://127.0.0.1:$((cloud_port + 1)),LOCAL://127.0.0.1:$((cloud_port + 2))
advertised.listeners=GUEST://10.0.2.2:$cloud_port,LOCAL://127.0.0.1:$((cloud_port + 2))
listener.security.protocol.map=GUEST:PLAINTEXT,CONTROLLER:PLAINTEXT,LOCAL:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=LOCAL
log.dirs=$work/cloud-kafka
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
default.replication.factor=1
min.insync.replicas=1
EOF
java -cp "$kafka_libs/*" kafka.tools.StorageTool format --ignore-formatted -t "$(java -cp "$kafka_libs/*" kafka.tools.StorageTool random-uuid)" \
  -c "$work/cloud.properties" > "$work/cloud-kafka.log" 2>&1
java -Xmx512m -cp "$kafka_libs/*" kafka.Kafka "$work/cloud.properties" >> "$work/cloud-kafka.log" 2>&1 &
cloud=$!

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "booting (qemu-system-aarch64 -M virt -cpu cortex-a72, 2 cores, 4 GiB like a Pi 4; SSH on 127.0.0.1:$port)..."
qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 4096 -display none -monitor none \
  -kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
  -append "root=LABEL=cefiot-root rw rootwait console=ttyAMA0 net.ifnames=0" \
  -drive file="$work/card.img",format=raw,if=none,id=card -device virtio-blk-pci,drive=card \
  -netdev user,id=net,hostfwd=tcp:127.0.0.1:"$port"-:22 -device virtio-net-pci,netdev=net \
  -serial file:"$work/serial.log" &
qemu=$!
$keep || trap 'kill $qemu $cloud 2>/dev/null || true' EXIT
ssh_node() {
  ssh -q -i "$work/operator-key" -p "$port" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o ConnectTimeout=20 -o BatchMode=yes cefiot-admin@127.0.0.1 "$@"
}

# The operator's key logs in once first boot's Ansible run is past the base role.
deadline=$((SECONDS + 60 * 60))
last=""
until ssh_node true 2>/dev/null; do
  kill -0 $qemu 2>/dev/null || fail "qemu exited"
  (( SECONDS < deadline )) || fail "no SSH login within 60 minutes"
  line="$(grep -a -E 'cefiot-firstboot|TASK \[|login:|Kernel panic|emergency' "$work/serial.log" 2>/dev/null | tail -n 1 | tr -d '\r' | cut -c1-150 || true)"
  [[ "$line" != "$last" && -n "$line" ]] && { say "console: $line"; last="$line"; }
  sleep 10
done
say "the operator's key logs in as cefiot-admin"

check() {
  local what="$1"; shift
  if out="$("$@" 2>&1)"; then say "ok: $what${out:+ ($(echo "$out" | tr '\n' ' ' | cut -c1-140))}"; else fail "$what: $out"; fi
}
# The key works once the base role ran; first boot goes on with Kafka and the stages.
say "waiting for first boot to finish..."
ssh_node 'while [ "$(systemctl show -p ActiveState --value cefiot-firstboot)" = activating ]; do sleep 10; done'
ssh_node 'sudo cat /boot/firmware/cefiot-firstboot.log' > "$work/cefiot-firstboot.log" || true
check "first boot finished and moved cefiot.conf off the boot partition" \
  ssh_node 'sudo grep "first boot done" /boot/firmware/cefiot-firstboot.log && sudo test ! -e /boot/firmware/cefiot.conf'
check "hostname is $node" ssh_node "test \"\$(hostname)\" = $node && hostname"
check "the root file system grew to the card (> 4 GiB)" ssh_node 'test $(df -B1 --output=size / | tail -n 1) -gt 4294967296 && df -h --output=size / | tail -n 1'
check "SSH takes keys only" ssh_node 'sudo sshd -T | grep -E "^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin) " | sort | tr "\n" " " | grep -q "kbdinteractiveauthentication no passwordauthentication no permitrootlogin no" && echo keys only'
check "no account has a password" ssh_node 'test -z "$(sudo awk -F: '\''$2 !~ /^[!*]/ {print $1}'\'' /etc/shadow)" && echo none'
check "this node's own SSH host key" ssh_node 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | cut -d" " -f2'
check "kafka and cefiot are active" ssh_node 'systemctl is-active kafka cefiot'
check "the node runs every stage (a one-node site)" ssh_node 'systemctl show -p Description --value cefiot | grep "camera ingest enrich uplink"'
check "the console password is not in the journal" ssh_node "! sudo journalctl -q | grep -qF -- '$console_password' && echo absent"

# An image in the spool must reach the site's ingested topic, with its SHA-256 as header (among
# the synthetic camera's images: the consumer reads until it is found).
jpeg="$work/dropped.jpg"
{ printf '\xff\xd8\xff\xe0'; head -c 20000 /dev/urandom; printf '\xff\xd9'; } > "$jpeg"
sha=$(sha256sum "$jpeg" | cut -d' ' -f1)
name="boot-cam_000000000001_$(date +%s%3N).jpg"
say "dropping $name (SHA-256 $sha) into the spool..."
ssh_node "cat > /tmp/$name && sudo install -o cefiot -g cefiot -m 0640 /tmp/$name /var/lib/cefiot/$name && sudo mv /var/lib/cefiot/$name /var/lib/cefiot/spool/" < "$jpeg"
check "the image is on $site.images.ingested" ssh_node "sudo -u kafka java -cp '/opt/kafka/libs/*' org.apache.kafka.tools.consumer.ConsoleConsumer \
  --bootstrap-server 10.0.2.15:9092 --topic $site.images.ingested --from-beginning --max-messages 5000 --timeout-ms 900000 \
  --property print.headers=true --property print.value=false 2>/dev/null | grep -m 1 -o 'cefiot.sha256:$sha'"
check "the image is on the cloud's $site.images.enriched (through enrich and the uplink)" ssh_node "sudo -u kafka java -cp '/opt/kafka/libs/*' org.apache.kafka.tools.consumer.ConsoleConsumer \
  --bootstrap-server 10.0.2.2:$cloud_port --topic $site.images.enriched --from-beginning --max-messages 5000 --timeout-ms 900000 \
  --property print.headers=true --property print.value=false 2>/dev/null | grep -m 1 -o 'cefiot.sha256:$sha'"
say "PASSED in $((SECONDS - started)) s (logs: $work)"
if $keep; then
  echo "boot-test: the VM keeps running (pid $qemu); log in with:"
  echo "  ssh -i $work/operator-key -p $port -o StrictHostKeyChecking=no cefiot-admin@127.0.0.1"
fi
