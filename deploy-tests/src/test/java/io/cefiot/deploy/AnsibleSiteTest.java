package io.cefiot.deploy;

import io.cefiot.testing.Requires;
import io.cefiot.camera.SyntheticCamera;
import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.contract.SpoolFileName;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.security.ClusterTls;
import io.cefiot.security.Passwords;
import io.cefiot.security.SiteAccess;
import io.cefiot.testing.Topics;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.util.FileUtil;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * ansible/site.yml run for real against four Debian hosts on this machine (3 masters, 1
 * worker): Docker containers booting systemd as PID 1, reached over SSH on a Docker network,
 * so Kafka and the stages really start as systemd services behind a real nftables firewall.
 * A second run must change nothing. Then an image dropped into the camera node's spool must
 * reach the site's Kafka and, through the uplink, a cloud broker on this machine; and again
 * after one host is killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnsibleSiteTest {

    static final String TEST_HOST_IMAGE = "cefiot-test-host:bookworm";
    static final String NETWORK = "cefiot-ansible-test";
    static final String SUBNET = "172.31.98";
    static final String SITE = "ansible-test";
    static final List<String> HOSTS = List.of("edge-1", "edge-2", "edge-3", "edge-4");
    static final String CONSOLE_PASSWORD = "console-" + UUID.randomUUID();
    /** The site's login on the cloud, as the cloud operator issued it; the inventory passes it as a Vault value would be. */
    static final String CLOUD_PASSWORD = Passwords.random();
    private static final Pattern RECAP = Pattern.compile("(?m)^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");

    static Path work;
    static DockerEngine engine;
    static Process cloudBroker;
    static Path cloudData;
    static String cloudBootstrap;
    static ClusterAccess cloudOperator;
    static Path cloudCa;
    static boolean provisioned;

    @BeforeAll
    static void hostsAndCloud() throws Exception {
        for (String[] tool : new String[][] {{"ansible-playbook", "ansible"}, {"ssh-keygen", "openssh-client"}, {"rsync", "rsync"},
                {"mmdebstrap", "mmdebstrap"}}) {
            Requires.debianTool(tool[0], tool[1], "The Ansible site test (four test hosts provisioned over SSH)");
        }
        work = Files.createDirectories(Overlay.root().resolve("deploy-tests/target/ansible-site"));
        engine = DockerEngine.ensureRunning(work.resolve("dockerd.log"));
        Path recipe = Overlay.root().resolve("deploy-tests/test-hosts/build-test-host.sh");
        String recipeHash = ProcessRun.of(List.of("bash", recipe.toString(), "--recipe-hash"), Duration.ofSeconds(30))
                .orFail("build-test-host.sh --recipe-hash").output().trim();
        ProcessRun label = DockerEngine.docker("image", "inspect", "-f", "{{index .Config.Labels \"io.cefiot.test-host-recipe\"}}", TEST_HOST_IMAGE);
        if (label.status() != 0 || !label.output().trim().equals(recipeHash)) {
            System.out.println("AnsibleSiteTest: building the test hosts' image (" + recipe + ", a few minutes)...");
            ProcessRun build = ProcessRun.of(List.of("bash", recipe.toString()), Duration.ofMinutes(20));
            System.out.println(build.output());
            build.orFail("build-test-host.sh");
        }
        removeHostsAndNetwork();
        Files.deleteIfExists(work.resolve("id"));
        Files.deleteIfExists(work.resolve("id.pub"));
        ProcessRun.of(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ansible-test", "-f", work.resolve("id").toString()),
                Duration.ofSeconds(30)).orFail("ssh-keygen");
        DockerEngine.docker("network", "create", "--subnet", SUBNET + ".0/24", NETWORK).orFail("docker network create");
        for (int i = 0; i < HOSTS.size(); i++) {
            // systemd as PID 1 needs the cgroup tree and SYS_ADMIN; NET_ADMIN lets nftables load the firewall.
            DockerEngine.docker("run", "-d", "--name", HOSTS.get(i), "--hostname", HOSTS.get(i), "--network", NETWORK, "--ip", address(i),
                    "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN", "--security-opt", "seccomp=unconfined",
                    "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/run/lock",
                    "-v", work.resolve("id.pub") + ":/home/pi/.ssh/authorized_keys:ro", TEST_HOST_IMAGE).orFail("docker run " + HOSTS.get(i));
        }
        // The cloud: one Kafka node on this machine's side of the Docker network, where the uplink reaches it,
        // secured as a real cloud is (TLS, SCRAM logins, ACLs), with the test site granted its login.
        cloudData = Files.createTempDirectory(work, "cloud-kafka-");
        KafkaNodeConfig plain = KafkaNodeConfig.onFreePorts(1, cloudData, SUBNET + ".1");
        KafkaNodeConfig cloud = plain.secured(ClusterTls.create(cloudData.resolve("tls"), plain.hosts()));
        cloudCa = cloud.tls().orElseThrow().caCertificate();
        Path properties = cloud.prepare(0, Uuid.randomUuid().toString(), Map.of());
        cloudBroker = new ProcessBuilder("java", "-Xmx512m", "-jar", Overlay.root().resolve("app/target/cefiot.jar").toString(),
                "broker", "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("cloud-kafka.log").toFile()).start();
        cloudBootstrap = cloud.bootstrapServers();
        cloudOperator = cloud.operatorAccess();
        EmbeddedKafkaCluster.awaitBrokers(cloudOperator, 1, Duration.ofMinutes(2));
        try (Admin operator = Admin.create(cloudOperator.clientConfig())) {
            SiteAccess.grant(operator, SITE, SITE, CLOUD_PASSWORD);
        }
        for (String host : HOSTS) {
            await(host + " booted").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> DockerEngine.docker("exec", host, "systemctl", "is-active", "ssh").output().trim().equals("active"));
        }
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (engine == null) {
            return; // skipped before anything started
        }
        try {
            for (String host : HOSTS) {
                ProcessRun journal = DockerEngine.docker("exec", host, "journalctl", "-u", "kafka", "-u", "cefiot", "--no-pager", "-n", "15");
                System.out.println("--- " + host + " ---\n" + journal.output());
            }
            removeHostsAndNetwork();
        } finally {
            if (cloudBroker != null) {
                cloudBroker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                FileUtil.removeDir(cloudData.toFile());
            }
            if (engine != null) {
                engine.close();
            }
        }
    }

    @Test
    @Order(1)
    void site_yml_provisions_every_host_and_a_second_run_changes_nothing() throws Exception {
        Path inventory = writeInventory();

        ProcessRun first = playbook(inventory, "site.yml");
        Map<String, int[]> firstRecap = recap(first.output());
        assertThat(firstRecap.keySet()).as(problems(first)).containsAll(HOSTS);
        firstRecap.forEach((host, counts) -> assertThat(counts[2] + counts[3]).as(host + " unreachable or failed\n" + problems(first)).isZero());
        assertThat(first.status()).as(problems(first)).isZero();

        ProcessRun second = playbook(inventory, "site.yml");
        assertThat(second.status()).as(problems(second)).isZero();
        Map<String, int[]> secondRecap = recap(second.output());
        assertThat(secondRecap.keySet()).containsAll(HOSTS);
        secondRecap.forEach((host, counts) -> assertThat(counts[1]).as(host + " changed on the second run:\n" + changedTasks(second.output())).isZero());
        assertThat(second.output()).doesNotContain(CONSOLE_PASSWORD).doesNotContain(CLOUD_PASSWORD);
        provisioned = true;

        // The services run where the roles put them: Kafka on the masters, the stages on every node.
        for (String host : HOSTS) {
            boolean master = !host.equals("edge-4");
            assertThat(exec(host, "systemctl", "is-active", "kafka").trim()).as(host + " kafka").isEqualTo(master ? "active" : "inactive");
            assertThat(exec(host, "systemctl", "is-active", "cefiot").trim()).as(host + " cefiot").isEqualTo("active");
        }
        assertThat(exec("edge-1", "systemctl", "show", "-p", "ExecStart", "cefiot")).contains("run --config /etc/cefiot/site.properties camera ingest");
        assertThat(exec("edge-2", "systemctl", "show", "-p", "ExecStart", "cefiot")).contains("site.properties enrich ;");
        assertThat(exec("edge-3", "systemctl", "show", "-p", "ExecStart", "cefiot")).contains("site.properties enrich uplink ;");
        assertThat(exec("edge-4", "systemctl", "show", "-p", "ExecStart", "cefiot")).contains("site.properties uplink ;");
    }

    @Test
    @Order(2)
    void the_nodes_allow_ssh_keys_only_and_the_firewall_drops_what_no_role_opened() throws Exception {
        assumeThat(provisioned).as("site.yml ran").isTrue();
        String sshd = exec("edge-1", "sshd", "-T");
        assertThat(sshd).contains("passwordauthentication no").contains("permitrootlogin no").contains("kbdinteractiveauthentication no");
        ProcessRun admin = ProcessRun.of(List.of("ssh", "-i", work.resolve("id").toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "cefiot-admin@" + address(0), "sudo", "-n", "true"),
                Duration.ofSeconds(30));
        assertThat(admin.status()).as("the operators' key logs in as cefiot-admin, who may sudo: " + admin.output()).isZero();

        // A port no role opened: reachable on the node itself, dropped from the site's network.
        DockerEngine.docker("exec", "-d", "edge-1", "python3", "-m", "http.server", "8999").orFail("start a listener");
        await("listener on edge-1").atMost(Duration.ofSeconds(30))
                .until(() -> DockerEngine.docker("exec", "edge-1", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8999").status() == 0);
        assertThat(connects(address(0), 8999)).as("port 8999 from the site network").isFalse();
        assertThat(connects(address(0), 9092)).as("Kafka from the site network").isTrue();

        // The console is open to the site, with the password from the inventory, which no log shows.
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + address(0) + ":8080/observe/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(exec("edge-1", "journalctl", "--no-pager")).doesNotContain(CONSOLE_PASSWORD).doesNotContain(CLOUD_PASSWORD);
        assertThat(exec("edge-4", "journalctl", "--no-pager")).as("an uplink node's journal").doesNotContain(CLOUD_PASSWORD);
        assertThat(exec("edge-4", "stat", "-c", "%a %U:%G", "/etc/cefiot/cloud.env").trim()).isEqualTo("640 root:cefiot");
        assertThat(exec("edge-4", "cat", "/etc/cefiot/site.properties")).contains("cloud.security-protocol=SASL_SSL")
                .contains("cloud.ssl.ca-file=/etc/cefiot/cloud-ca.pem").doesNotContain(CLOUD_PASSWORD);
    }

    @Test
    @Order(3)
    void kafka_on_the_masters_has_the_settings_of_every_other_cluster_of_the_project() throws Exception {
        assumeThat(provisioned).as("site.yml ran").isTrue();
        Properties written = new Properties();
        written.load(new StringReader(exec("edge-2", "cat", "/etc/kafka/server.properties")));
        Properties expected = KafkaNodeConfig.forStatefulSet(3, "kafka", "unused", 9092, 9093, 9095, Path.of("/var/lib/kafka/data")).properties(1);
        Set<String> perHost = Set.of("controller.quorum.voters", "listeners", "advertised.listeners", "log.dirs");
        for (String key : expected.stringPropertyNames()) {
            if (!perHost.contains(key)) {
                assertThat(written.getProperty(key)).as(key).isEqualTo(expected.getProperty(key));
            }
        }
        assertThat(written.getProperty("controller.quorum.voters")).isEqualTo("0@" + address(0) + ":9093,1@" + address(1) + ":9093,2@" + address(2) + ":9093");
        assertThat(written.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://" + address(1) + ":9092");
        assertThat(written.getProperty("listeners")).as("bound to the site network only")
                .isEqualTo("PLAINTEXT://" + address(1) + ":9092,CONTROLLER://" + address(1) + ":9093");
        assertThat(written.getProperty("log.dirs")).isEqualTo("/var/lib/kafka/data");
    }

    /**
     * k3s cannot be downloaded here, so the k3s roles run in check mode only: from an airgap
     * folder whose files are empty placeholders (check mode copies nothing and runs nothing).
     * What it shows: the roles resolve and render for every host, the first master starts etcd,
     * the others join it, and the agent joins the servers.
     */
    @Test
    @Order(4)
    void the_k3s_roles_render_for_every_host_in_check_mode() throws Exception {
        assumeThat(provisioned).as("site.yml ran").isTrue();
        Path airgap = Files.createDirectories(work.resolve("k3s-airgap-placeholders"));
        Files.write(airgap.resolve("k3s"), new byte[0]);
        Files.write(airgap.resolve("k3s-airgap-images-amd64.tar.zst"), new byte[0]);
        Files.write(airgap.resolve("cefiot-" + ContainerImage.tag() + "-amd64.image.tar"), new byte[0]);

        ProcessRun check = playbook(writeInventory(), "site.yml", "--check", "--diff", "--tags", "k3s", "-e", "cefiot_runtime=k3s",
                "-e", "k3s_token=check-mode-token", "-e", "k3s_airgap_dir=" + airgap, "-e", "cefiot_image_archive_dir=" + airgap);

        assertThat(check.status()).as(problems(check)).isZero();
        recap(check.output()).forEach((host, counts) -> assertThat(counts[3]).as(host + " failed\n" + problems(check)).isZero());
        String output = check.output();
        assertThat(output).contains("cluster-init: true").contains("server: https://" + address(0) + ":6443")
                .contains("node-label:").contains("- cefiot.io/camera=true");
        assertThat(output).as("every node gets the image archive").contains("TASK [k3s_server : Place the CEFIoT image where k3s imports");
        assertThat(output).contains("TASK [k3s_server : Apply the edge manifests").contains("ExecStart=/usr/local/bin/k3s agent")
                .contains("ExecStart=/usr/local/bin/k3s server");
    }

    @Test
    @Order(5)
    void an_image_in_the_camera_nodes_spool_reaches_kafka_and_the_cloud_and_still_does_with_a_host_killed() throws Exception {
        assumeThat(provisioned).as("site.yml ran").isTrue();
        String edgeBootstrap = address(0) + ":9092," + address(1) + ":9092," + address(2) + ":9092";
        SyntheticCamera camera = new SyntheticCamera(11, List.of("dropped"), Clock.systemUTC());

        String first = dropIntoSpool(camera, 1);
        awaitOnTopic(edgeBootstrap, SITE + ".images.ingested", first);
        awaitOnTopic(cloudOperator, SITE + ".images.enriched", first);

        // edge-3 runs a Kafka node, an enrich replica and an uplink replica: kill the whole host.
        DockerEngine.docker("kill", "-s", "KILL", "edge-3").orFail("docker kill edge-3");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address(0) + ":9092," + address(1) + ":9092"))) {
            await("edge-3's broker gone from the cluster").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == 2);
        }
        String second = dropIntoSpool(camera, 2);
        awaitOnTopic(address(0) + ":9092," + address(1) + ":9092", SITE + ".images.ingested", second);
        awaitOnTopic(cloudOperator, SITE + ".images.enriched", second);
    }

    private static String dropIntoSpool(SyntheticCamera camera, long sequence) throws Exception {
        byte[] jpeg = camera.draw(sequence);
        String name = new SpoolFileName("dropped", sequence, System.currentTimeMillis()).fileName();
        Path file = Files.write(work.resolve(name), jpeg);
        // Handed over whole and owned by cefiot, as the camera does: written beside, then renamed in.
        DockerEngine.docker("cp", file.toString(), "edge-1:/var/lib/cefiot/" + name).orFail("docker cp");
        DockerEngine.docker("exec", "edge-1", "sh", "-c", "chown cefiot:cefiot /var/lib/cefiot/" + name
                + " && mv /var/lib/cefiot/" + name + " /var/lib/cefiot/spool/").orFail("move into the spool");
        return Sha256.hex(jpeg);
    }

    private static void awaitOnTopic(String bootstrap, String topic, String sha256) {
        awaitOnTopic(ClusterAccess.plaintext("edge", bootstrap), topic, sha256);
    }

    private static void awaitOnTopic(ClusterAccess cluster, String topic, String sha256) {
        Topics.readUntil(cluster, topic, records -> records.stream()
                .anyMatch(r -> sha256.equals(Topics.header(r, ImageHeaders.SHA256))), Duration.ofMinutes(3));
    }

    private static Path writeInventory() throws IOException {
        String key = Files.readString(work.resolve("id.pub")).trim();
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < HOSTS.size(); i++) {
            if (i == 3) {
                hosts.append("    workers:\n      hosts:\n");
            } else if (i == 0) {
                hosts.append("    masters:\n      hosts:\n");
            }
            hosts.append("        ").append(HOSTS.get(i)).append(":\n          ansible_host: ").append(address(i)).append('\n');
            if (i == 0) {
                // No camera device in a container: the synthetic source captures every 2 s instead.
                hosts.append("          cefiot_camera: true\n          cefiot_settings:\n")
                        .append("            camera.source: synthetic\n            camera.interval-ms: 2000\n");
            }
        }
        String inventory = "all:\n  vars:\n"
                + "    cefiot_site_id: " + SITE + "\n"
                + "    cefiot_cloud_bootstrap_servers: " + cloudBootstrap + "\n"
                + "    cefiot_admin_ssh_keys:\n      - " + key + "\n"
                + "    ansible_user: pi\n"
                + "    ansible_ssh_private_key_file: " + work.resolve("id") + "\n"
                + "    ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null\n"
                + "    # The test hosts reach no Debian mirror; their packages are preinstalled.\n"
                + "    base_apt_update_cache: false\n"
                + "    console_users:\n      admin: " + CONSOLE_PASSWORD + "\n"
                + "    cefiot_cloud_sasl_password: " + CLOUD_PASSWORD + "\n"
                + "    cefiot_cloud_ca_cert: |\n" + Files.readString(cloudCa).lines().map(l -> "      " + l + "\n").collect(Collectors.joining())
                + "  children:\n" + hosts;
        return Files.writeString(work.resolve("inventory.yml"), inventory);
    }

    static ProcessRun playbook(Path inventory, String playbook, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), playbook));
        command.addAll(List.of(extra));
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).directory(AnsibleInventoryTest.ansible().toFile()).redirectErrorStream(true);
        // Each task's time in the output, and the slowest at the end.
        builder.environment().put("ANSIBLE_CALLBACKS_ENABLED", "ansible.posix.profile_tasks");
        ProcessRun run = ProcessRun.of(builder, Duration.ofMinutes(15));
        System.out.printf("AnsibleSiteTest: %s took %d s, status %d%n%s%n", String.join(" ", command),
                Duration.ofNanos(System.nanoTime() - start).toSeconds(), run.status(), run.output());
        return run;
    }

    /** Host name to {ok, changed, unreachable, failed} from the PLAY RECAP. */
    static Map<String, int[]> recap(String output) {
        Map<String, int[]> counts = new HashMap<>();
        Matcher m = RECAP.matcher(output);
        while (m.find()) {
            counts.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))});
        }
        return counts;
    }

    /** The lines that say what went wrong, and the recap. */
    static String problems(ProcessRun run) {
        return String.join("\n", run.output().lines()
                .filter(l -> l.contains("fatal:") || l.contains("ERROR!") || l.contains("UNREACHABLE") || RECAP.matcher(l).find()).toList());
    }

    private static String changedTasks(String output) {
        List<String> lines = output.lines().toList();
        List<String> changed = new ArrayList<>();
        String task = "";
        for (String line : lines) {
            if (line.startsWith("TASK [") || line.startsWith("RUNNING HANDLER [")) {
                task = line;
            } else if (line.startsWith("changed:")) {
                changed.add(task + " " + line);
            }
        }
        return String.join("\n", changed);
    }

    private static boolean connects(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 3000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String exec(String host, String... command) throws IOException {
        List<String> docker = new ArrayList<>(List.of("exec", host));
        docker.addAll(List.of(command));
        ProcessRun run = DockerEngine.docker(docker.toArray(String[]::new));
        return run.output();
    }

    static String address(int host) {
        return SUBNET + "." + (11 + host);
    }

    private static void removeHostsAndNetwork() throws IOException {
        for (String host : HOSTS) {
            DockerEngine.docker("rm", "-f", host);
        }
        DockerEngine.docker("network", "rm", NETWORK);
    }
}
