package io.cefiot.deploy;

import io.cefiot.testing.Requires;
import io.cefiot.security.Passwords;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SD card image's recipe (image/), checked fast: the full arm64 build and its boot test take
 * most of an hour under emulation (image/README.md). Here: shellcheck over every shell script of
 * the project, the first-boot tool on good and bad cefiot.conf files (and the inventory it writes
 * passing the roles' own site checks), the inventory of the image build, and genimage laying out
 * a card from genimage.cfg with a small stand-in root filesystem.
 */
class ImageRecipeTest {

    static Path image() {
        return Overlay.root().resolve("image");
    }

    static Path firstBoot() {
        return image().resolve("rootfs/usr/local/sbin/cefiot-firstboot");
    }

    @Test
    void every_shell_script_passes_shellcheck() throws Exception {
        Requires.debianTool("shellcheck", "shellcheck", "The shell scripts' check");
        List<String> command = new ArrayList<>(List.of("shellcheck", "-x"));
        try (Stream<Path> files = Files.walk(Overlay.root())) {
            files.filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/"))
                    .filter(f -> f.toString().endsWith(".sh")).map(f -> Overlay.root().relativize(f).toString()).sorted()
                    .forEach(command::add);
        }
        command.addAll(List.of("cefiot", ".ci/run"));
        assertThat(command).contains("image/build.sh", "image/boot-test.sh", "container/build-image.sh");

        ProcessRun run = ProcessRun.of(new ProcessBuilder(command).directory(Overlay.root().toFile()), Duration.ofMinutes(2));

        assertThat(run.status()).as(run.output()).isZero();
    }

    @Test
    void the_sample_cefiot_conf_with_the_sites_cloud_login_is_valid_and_its_inventory_passes_the_site_checks(@TempDir Path dir)
            throws Exception {
        Requires.debianTool("ansible-playbook", "ansible", "The sample cefiot.conf's site checks");
        // The sample ships no password: the one thing an operator must add is the site's cloud login.
        String password = Passwords.random();
        Files.writeString(dir.resolve("cloud-ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Path filledIn = Files.writeString(dir.resolve("cefiot.conf"), Files.readString(image().resolve("cefiot.conf.sample"))
                + "cloud_password = " + password + "\ncloud_ca_file = cloud-ca.pem\n");
        ProcessRun check = ProcessRun.of(List.of(firstBoot().toString(), "--check", "--print-inventory",
                "--conf", filledIn.toString()), Duration.ofMinutes(1));

        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("OK: node edge-1, master of site site-1 (3 masters, 1 workers)");
        String inventory = check.output().substring(check.output().indexOf('{'));
        assertThat(inventory).contains("\"ansible_connection\": \"local\"", "\"cefiot_camera\": true",
                "\"edge-4\": {\n            \"ansible_host\": \"192.168.10.14\"", "\"cefiot_cloud_sasl_password\": \"" + password + "\"",
                "\"cefiot_cloud_ca_cert\": \"-----BEGIN CERTIFICATE-----", "\"cefiot_cloud_security_protocol\": \"SASL_SSL\"");
        // First boot runs site.yml with this inventory; its first play is the inventory checks.
        Path written = Files.writeString(dir.resolve("inventory.yml"), inventory);
        ProcessRun siteChecks = ProcessRun.of(List.of("ansible-playbook", "-i", written.toString(),
                AnsibleInventoryTest.ansible().resolve("check-inventory.yml").toString()), Duration.ofMinutes(2));
        assertThat(siteChecks.status()).as(siteChecks.output()).isZero();
    }

    @Test
    void a_bad_cefiot_conf_is_refused_with_every_error_naming_its_setting(@TempDir Path dir) throws Exception {
        String sample = Files.readString(image().resolve("cefiot.conf.sample"));
        String[][] cases = {
                {sample.replaceAll("(?m)^ssh_authorized_key = .*$", ""), "ssh_authorized_key: none given"},
                {sample.replace("edge-3=192.168.10.13", ""), "masters: 2 masters: Kafka's quorum needs an odd number"},
                {sample.replace("hostname = edge-1", "hostname = edge-9"), "hostname: 'edge-9' is in neither masters nor workers"},
                {sample.replace("edge-2=192.168.10.12", "edge-2=192.168.10"), "masters: '192.168.10' (node edge-2) is not an IP address"},
                {sample.replace("cloud-node-1.example.net:9094,", "cloud-node-1.example.net,"), "cloud_bootstrap_servers: "},
                {sample + "colour = blue\n", "colour: unknown setting on line"},
                {sample + "runtime = k3s\n", "k3s_token: is required with runtime = k3s"},
                {sample + "static_address = 192.168.10.11/24\n", "gateway: is required with static_address"},
                {sample + "console_user = admin:short\n", "console_user: 'admin:...' must be NAME:PASSWORD"},
                {sample.replace("site_id = site-1", "site_id = Site One"), "site_id: 'Site One' must be lower-case"},
                {sample + "cloud_security = SASL_SSL\n", "cloud_password: is required (16 or more characters)"},
                {sample + "cloud_password = short\n", "cloud_password: is required (16 or more characters)"},
                {sample + "cloud_ca_file = missing.pem\n", "cloud_ca_file: cannot read missing.pem"},
                {sample + "cloud_security = TLS\n", "cloud_security: 'TLS' must be SASL_SSL"},
        };
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < cases.length; i++) {
            assertThat(cases[i][0]).as("case " + i + " changes the sample").isNotEqualTo(sample);
            Path conf = Files.writeString(dir.resolve("cefiot-" + i + ".conf"), cases[i][0]);
            ProcessRun run = ProcessRun.of(List.of(firstBoot().toString(), "--check", "--conf", conf.toString()), Duration.ofMinutes(1));
            if (run.status() != 1 || !run.output().contains(conf + ": " + cases[i][1]) || run.output().contains("OK:")) {
                problems.add("case " + i + " (expected '" + cases[i][1] + "'): status " + run.status() + "\n" + run.output());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void the_image_builds_inventory_passes_the_site_checks_and_the_playbook_parses() throws Exception {
        Requires.debianTool("ansible-playbook", "ansible", "The image build's inventory checks");
        // The image has no site yet: the checks must pass with its placeholders and no SSH keys.
        Path ansible = AnsibleInventoryTest.ansible();
        String inventory = image().resolve("image-inventory.yml").toString();
        ProcessRun checks = ProcessRun.of(List.of("ansible-playbook", "-i", inventory, "-e", "cefiot_image_build=true",
                ansible.resolve("check-inventory.yml").toString()), Duration.ofMinutes(2));
        ProcessRun syntax = ProcessRun.of(List.of("ansible-playbook", "-i", inventory, "-e", "cefiot_image_build=true",
                "--syntax-check", ansible.resolve("site.yml").toString()), Duration.ofMinutes(2));

        assertThat(checks.status()).as(checks.output()).isZero();
        assertThat(syntax.status()).as(syntax.output()).isZero();
    }

    @Test
    void genimage_lays_out_a_card_with_a_fat_boot_partition_and_an_ext4_root(@TempDir Path dir) throws Exception {
        Requires.debianTool("genimage", "genimage", "The SD card layout check");
        Requires.debianTool("mcopy", "mtools", "The SD card layout check (the FAT boot partition)");
        Requires.debianTool("mkfs.vfat", "dosfstools", "The SD card layout check (the FAT boot partition)");
        // A stand-in root filesystem: the real one takes half an hour of emulated arm64.
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("boot/firmware"));
        Files.writeString(rootfs.resolve("boot/firmware/config.txt"), "arm_64bit=1\n");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.copy(image().resolve("rootfs/etc/fstab"), rootfs.resolve("etc/fstab"));
        for (String folder : List.of("tmp", "input", "out")) {
            Files.createDirectories(dir.resolve(folder));
        }
        ProcessBuilder genimage = new ProcessBuilder("genimage", "--config", image().resolve("genimage.cfg").toString(),
                "--rootpath", rootfs.toString(), "--tmppath", dir.resolve("tmp").toString(),
                "--inputpath", dir.resolve("input").toString(), "--outputpath", dir.resolve("out").toString());
        genimage.environment().put("IMAGE_NAME", "card.img");

        ProcessRun run = ProcessRun.of(genimage, Duration.ofMinutes(3));

        assertThat(run.status()).as(run.output()).isZero();
        Path card = dir.resolve("out/card.img");
        try (RandomAccessFile file = new RandomAccessFile(card.toFile(), "r")) {
            Partition boot = Partition.read(file, 0);
            Partition root = Partition.read(file, 1);
            assertThat(boot.bootable()).isTrue();
            assertThat(boot.type()).as("FAT32 LBA").isEqualTo(0x0C);
            assertThat(boot.startByte()).isEqualTo(4L << 20);
            assertThat(boot.sizeBytes()).isEqualTo(256L << 20);
            assertThat(root.type()).as("Linux").isEqualTo(0x83);
            assertThat(root.sizeBytes()).isEqualTo(3L << 30);
            // The ext4 superblock (1024 bytes into the partition) holds the label at 0x78.
            byte[] label = new byte[16];
            file.seek(root.startByte() + 1024 + 0x78);
            file.readFully(label);
            assertThat(new String(label, StandardCharsets.US_ASCII).trim().replace("\0", "")).isEqualTo("cefiot-root");
            // fstab and cmdline.txt mount and boot both by these labels.
            assertThat(Files.readString(image().resolve("rootfs/etc/fstab"))).contains("LABEL=cefiot-root", "LABEL=CEFIOT-BOOT");
            assertThat(Files.readString(image().resolve("firmware-setup.sh"))).contains("ROOTPART=LABEL=cefiot-root");
            String fat = card + "@@" + boot.startByte();
            ProcessRun fatLabel = ProcessRun.of(List.of("mlabel", "-s", "-i", fat, "::"), Duration.ofMinutes(1));
            ProcessRun fatFiles = ProcessRun.of(List.of("mdir", "-b", "-i", fat, "::"), Duration.ofMinutes(1));
            assertThat(fatLabel.output()).contains("CEFIOT-BOOT");
            assertThat(fatFiles.output()).contains("config.txt");
        }
    }

    /** One primary partition of an MBR partition table. */
    record Partition(boolean bootable, int type, long startByte, long sizeBytes) {
        static Partition read(RandomAccessFile disk, int index) throws IOException {
            byte[] entry = new byte[16];
            disk.seek(446 + 16L * index);
            disk.readFully(entry);
            return new Partition((entry[0] & 0xff) == 0x80, entry[4] & 0xff, 512 * le32(entry, 8), 512 * le32(entry, 12));
        }

        private static long le32(byte[] bytes, int at) {
            return (bytes[at] & 0xffL) | (bytes[at + 1] & 0xffL) << 8 | (bytes[at + 2] & 0xffL) << 16 | (bytes[at + 3] & 0xffL) << 24;
        }
    }
}
