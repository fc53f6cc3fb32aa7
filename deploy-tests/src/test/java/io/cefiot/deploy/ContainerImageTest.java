package io.cefiot.deploy;

import io.cefiot.testing.Requires;
import io.cefiot.camera.video.Scene;
import io.cefiot.camera.video.SceneVideo;
import io.cefiot.camera.SyntheticCamera;
import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.contract.SpoolFileName;
import io.cefiot.kafka.ListenerPorts;
import io.cefiot.site.Setting;
import io.cefiot.testing.KafkaClusterExtension;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.apache.camel.v1.Integration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image, for real: container/build-image.sh builds it from Debian packages and the current
 * jar, Docker runs it on this machine, and the stages inside (a real camera reading a video
 * file, ingest and enrich) process images against brokers on the host; and three containers
 * started as the Kafka StatefulSet's pods form the site's cluster.
 */
class ContainerImageTest {

    static final String IMAGE = ContainerImage.reference();
    /** A header only the edited enrich route adds. */
    static final String EDITED_HEADER = "cefiot.edited-in-cluster";
    static final String EDITED_SITE = "camel-k-site";

    @RegisterExtension
    static KafkaClusterExtension kafka = new KafkaClusterExtension(3);

    static DockerEngine engine;

    @BeforeAll
    static void engineAndImage() throws Exception {
        Requires.debianTool("mmdebstrap", "mmdebstrap", "The container image test (container/build-image.sh)");
        Requires.debianTool("buildah", "buildah", "The container image test (container/build-image.sh)");
        Path target = Overlay.root().resolve("deploy-tests/target");
        Files.createDirectories(target);
        engine = DockerEngine.ensureRunning(target.resolve("dockerd.log"));
        String jarHash = Sha256.hex(Files.readAllBytes(Overlay.root().resolve("app/target/cefiot.jar")));
        ProcessRun label = DockerEngine.docker("image", "inspect", "-f", "{{index .Config.Labels \"io.cefiot.jar-sha256\"}}", IMAGE);
        if (label.status() != 0 || !label.output().trim().equals(jarHash)) {
            System.out.println("ContainerImageTest: building " + IMAGE + " from the current jar (container/build-image.sh, a few minutes)...");
            ProcessRun build = ProcessRun.of(List.of("bash", Overlay.root().resolve("container/build-image.sh").toString(),
                    "--arch", "amd64", "--out", target.resolve("image").toString()), Duration.ofMinutes(20));
            System.out.println(build.output());
            build.orFail("container/build-image.sh");
        }
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /**
     * The edge overlay's Kafka StatefulSet, as its pods would run: each node started with the
     * manifest's own arguments and environment, reaching the others by their StatefulSet names
     * (here /etc/hosts entries on a Docker network instead of the headless Service's DNS). An ingest
     * container then writes images with acks=all, before and after one node is SIGKILLed.
     */
    @Test
    @SuppressWarnings("unchecked")
    void the_kafka_statefulset_forms_a_quorum_and_keeps_taking_images_after_a_node_is_killed(@TempDir Path dir) throws Exception {
        Overlay edge = Overlay.build("edge");
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) edge.named("StatefulSet", "kafka").get("spec")).get("template");
        Map<String, Object> kafka = ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers")).get(0);
        List<String> args = ((List<String>) kafka.get("args")).stream().map(a -> a.replace("$(POD_NAMESPACE)", "cefiot")).toList();
        String javaOptions = ((List<Map<String, Object>>) kafka.get("env")).stream().filter(e -> "CEFIOT_JAVA_OPTS".equals(e.get("name")))
                .map(e -> e.get("value").toString()).findFirst().orElseThrow();
        String clusterId = edge.ofKind("ConfigMap").stream().map(c -> (Map<String, String>) c.get("data"))
                .filter(d -> d != null && d.containsKey("cluster-id")).map(d -> d.get("cluster-id")).findFirst().orElseThrow();
        String domain = args.get(args.indexOf("--domain") + 1);

        String run = UUID.randomUUID().toString().substring(0, 8);
        String network = "cefiot-kafka-" + run;
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hosts.addAll(List.of("--add-host", "kafka-" + i + "." + domain + ":172.30.99." + (10 + i)));
        }
        List<String> containers = new ArrayList<>();
        DockerEngine.docker("network", "create", "--subnet", "172.30.99.0/24", network).orFail("docker network create");
        try {
            for (int i = 0; i < 3; i++) {
                List<String> command = new ArrayList<>(List.of("run", "-d", "--name", "kafka-" + i + "-" + run, "--network", network,
                        "--ip", "172.30.99." + (10 + i), "-e", "POD_NAME=kafka-" + i, "-e", "KAFKA_CLUSTER_ID=" + clusterId,
                        "-e", "CEFIOT_JAVA_OPTS=" + javaOptions));
                command.addAll(hosts);
                command.add(IMAGE);
                command.addAll(args);
                DockerEngine.docker(command.toArray(String[]::new)).orFail("docker run kafka-" + i);
                containers.add("kafka-" + i + "-" + run);
            }
            Path state = Files.createDirectories(dir.resolve("state"));
            Path spool = Files.createDirectories(state.resolve("spool"));
            Path site = Files.createDirectories(dir.resolve("site"));
            for (Path p : List.of(dir, state, spool)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            String servers = String.join(",", List.of(0, 1, 2).stream().map(i -> "kafka-" + i + "." + domain + ":9092").toList());
            Files.writeString(site.resolve("site.properties"), "site.id=k3s-site\nedge.bootstrap-servers=" + servers
                    + "\nspool.dir=/var/lib/cefiot/spool\nquarantine.dir=/var/lib/cefiot/quarantine\nkafka.startup-timeout-ms=120000\n");
            // Restarted on failure as a pod would be: it may start before all three nodes are up, and then
            // refuses to create topics with fewer than 3 replicas.
            List<String> ingest = new ArrayList<>(List.of("run", "-d", "--restart", "on-failure", "--name", "ingest-" + run, "--network", network,
                    "--ip", "172.30.99.20", "-v", state + ":/var/lib/cefiot", "-v", site + ":/etc/cefiot/site:ro"));
            ingest.addAll(hosts);
            ingest.addAll(List.of(IMAGE, "run", "ingest", "--config", "/etc/cefiot/site/site.properties"));
            DockerEngine.docker(ingest.toArray(String[]::new)).orFail("docker run ingest");
            containers.add("ingest-" + run);

            SyntheticCamera camera = new SyntheticCamera(5, List.of("cam-1"), Clock.systemUTC());
            spoolImages(camera, spool, 1, 5);
            // Ingest deletes a spool file only once the cluster acknowledged it with acks=all (min.insync.replicas 2).
            await("5 images ingested into the 3-node cluster").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> isEmpty(spool));
            DockerEngine.docker("kill", "-s", "KILL", "kafka-1-" + run).orFail("docker kill");
            spoolImages(camera, spool, 6, 5);
            await("5 more images ingested with one node killed").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> isEmpty(spool));
            assertThat(state.resolve("quarantine")).satisfiesAnyOf(q -> assertThat(q).doesNotExist(), q -> assertThat(q).isEmptyDirectory());
        } finally {
            for (String container : containers) {
                System.out.println("--- " + container + " ---\n" + DockerEngine.docker("logs", "--tail", "20", container).output());
                DockerEngine.docker("rm", "-f", container);
            }
            DockerEngine.docker("network", "rm", network);
        }
    }

    /**
     * The enrich Integration, edited as an operator would edit it in the cluster (a header only
     * the edited route adds), run in the image the way Camel K 2.x starts its pod (CamelKPod: the
     * jvm trait's java command line in /deployments, the environment and container traits, the
     * template's mounts), with what the operator mounts for it: spec.flows as a source under
     * /etc/camel/sources and the application.properties that lists it. The edited route must be
     * what ran, and the stage's figures must reach /observe/metrics.
     */
    @Test
    @SuppressWarnings("unchecked")
    void an_enrich_integration_edited_in_the_cluster_runs_as_edited_in_the_pod_camel_k_makes(@TempDir Path dir) throws Exception {
        Map<String, Object> object = Overlay.build("edge").named("Integration", "cefiot-enrich");
        List<Object> flows = (List<Object>) ((Map<String, Object>) object.get("spec")).get("flows");
        Map<String, Object> route = flows.stream().map(f -> (Map<String, Object>) f).filter(f -> f.containsKey("route"))
                .map(f -> (Map<String, Object>) f.get("route")).findFirst().orElseThrow();
        List<Object> steps = (List<Object>) ((Map<String, Object>) route.get("from")).get("steps");
        steps.add(steps.size() - 1, Map.of("setHeader", Map.of("name", EDITED_HEADER, "constant", "in-the-cluster")));
        Container pod = CamelKPod.render((Integration) SchemaCheck.typed(object)).getContainers().get(0);

        // What the operator mounts: the flows as a source, and the properties that list it.
        Path camel = Files.createDirectories(dir.resolve("etc-camel"));
        Path sources = Files.createDirectories(camel.resolve("sources"));
        Files.writeString(sources.resolve("camel-k-embedded-flow.yaml"), new Dump(DumpSettings.builder().build()).dumpToString(flows));
        Files.writeString(camel.resolve("application.properties"), "camel.k.sources[0].location = file:" + CamelKPod.SOURCES
                + "/camel-k-embedded-flow.yaml\ncamel.k.sources[0].name = camel-k-embedded-flow\ncamel.k.sources[0].language = yaml\n");
        // What the site's operator creates (k3s-manifests/README.md): the site ConfigMap and the console Secret.
        Path site = Files.createDirectories(dir.resolve("site"));
        // A site of its own: the class's other tests share these brokers and write test-site's topics.
        new TestSite(dir).edge(kafka.bootstrapServers()).set(Setting.SITE_ID, EDITED_SITE).write(site.resolve("site.properties"));
        Path console = Files.createDirectories(dir.resolve("console"));
        Files.writeString(console.resolve("console-users.properties"), "operator = " + UUID.randomUUID() + "\n");
        Path state = Files.createDirectories(dir.resolve("state"));
        for (Path p : List.of(dir, state, camel, sources, site, console)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxr-x"));
        }
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        Map<String, Path> volumes = Map.of("/etc/cefiot/site", site, "/etc/cefiot/console", console, "/var/lib/cefiot", state);

        // On the host's network the pod's port 8080 may be taken: the console moves to a free one.
        int consolePort = ListenerPorts.next();
        String container = "cefiot-camel-k-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", container, "--network", "host",
                "--workdir", pod.getWorkingDir(), "--entrypoint", pod.getCommand().get(0),
                "-v", camel.resolve("application.properties") + ":" + CamelKPod.APPLICATION_PROPERTIES + ":ro",
                "-v", sources + ":" + CamelKPod.SOURCES + ":ro"));
        for (VolumeMount mount : pod.getVolumeMounts()) {
            Path from = volumes.get(mount.getMountPath());
            if (from != null) {
                command.addAll(List.of("-v", from + ":" + mount.getMountPath()));
            } else if (mount.getMountPath().equals("/tmp")) {
                command.addAll(List.of("--tmpfs", "/tmp"));
            }
        }
        for (EnvVar env : pod.getEnv()) {
            String value = switch (env.getName()) {
                case "CEFIOT_EDGE_BOOTSTRAP_SERVERS" -> kafka.bootstrapServers();
                case "CEFIOT_ARGS" -> env.getValue().replace("--console-port 8080", "--console-port " + consolePort);
                default -> env.getValue();
            };
            command.addAll(List.of("-e", env.getName() + "=" + value));
        }
        if (Boolean.TRUE.equals(pod.getSecurityContext().getReadOnlyRootFilesystem())) {
            command.add("--read-only");
        }
        command.add(IMAGE);
        command.addAll(pod.getArgs());
        DockerEngine.docker(command.toArray(String[]::new)).orFail("docker run (the pod Camel K makes for cefiot-enrich)");
        try {
            byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 7, 7, 7, (byte) 0xFF, (byte) 0xD9};
            Topics.send(kafka.bootstrapServers(), EDITED_SITE + ".images.ingested", "cam-7", jpeg, Map.of(
                    ImageHeaders.CAMERA, "cam-7", ImageHeaders.SEQUENCE, "1", ImageHeaders.CAPTURE_TIME, "1764270000000",
                    ImageHeaders.SHA256, Sha256.hex(jpeg)));
            List<ConsumerRecord<String, byte[]>> enriched = Topics.readAtLeast(kafka.bootstrapServers(),
                    EDITED_SITE + ".images.enriched", 1, Duration.ofMinutes(3));
            assertThat(enriched).singleElement().satisfies(record -> {
                assertThat(Topics.header(record, EDITED_HEADER)).as("the edited route ran").isEqualTo("in-the-cluster");
                assertThat(Topics.header(record, ImageHeaders.SITE)).isEqualTo(EDITED_SITE);
            });
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + consolePort + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("cefiot_stage_exchanges_total").contains("stage=\"enrich\"");
            assertThat(DockerEngine.docker("logs", container).output()).contains("Routes from the Integration's sources that Camel K mounted");
        } finally {
            System.out.println("--- pod log ---\n" + DockerEngine.docker("logs", container).output());
            DockerEngine.docker("rm", "-f", container);
        }
    }

    private static void spoolImages(SyntheticCamera camera, Path spool, long firstSequence, int count) throws IOException {
        for (long sequence = firstSequence; sequence < firstSequence + count; sequence++) {
            Files.write(spool.resolve(new SpoolFileName("cam-1", sequence, System.currentTimeMillis()).fileName()), camera.draw(sequence));
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    @Test
    void the_image_runs_camera_ingest_and_enrich_against_brokers_on_the_host(@TempDir Path dir) throws Exception {
        // The container's user (uid 10001) writes the state folder the host test created.
        Path state = Files.createDirectories(dir.resolve("state"));
        Path spool = Files.createDirectories(state.resolve("spool"));
        for (Path p : List.of(dir, state, spool)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        SceneVideo.write(new Scene(640, 480, 25, 100, 5, 3.0, 1.0, 1.0,
                List.of(new Scene.Crossing(new Scene.Interval(20, 90), 80, 0.5, 230)), List.of()), state.resolve("clip.avi"));
        String bad = new SpoolFileName("gate-cam", 900, 1764270000000L).fileName();
        Files.writeString(spool.resolve(bad), "not a picture");

        int consolePort = ListenerPorts.next();
        String password = UUID.randomUUID().toString();
        Path site = Files.createDirectories(dir.resolve("site"));
        new TestSite(dir).edge(kafka.bootstrapServers())
                .set(Setting.SPOOL_DIR, "/var/lib/cefiot/spool")
                .set(Setting.QUARANTINE_DIR, "/var/lib/cefiot/quarantine")
                .set(Setting.ARCHIVE_DIR, "/var/lib/cefiot/archive")
                .set(Setting.CAMERA_CAPTURE_LOG, "")
                .set(Setting.CAMERA_STATE_DIR, "/var/lib/cefiot/camera")
                .set(Setting.CAMERA_SOURCE, "/var/lib/cefiot/clip.avi")
                .set(Setting.CAMERA_IDS, "gate-cam")
                .set(Setting.CAMERA_MAX_RATE, "100")
                .set(Setting.CAMERA_IMAGES, "8")
                .write(site.resolve("site.properties"));

        String container = "cefiot-image-test-" + UUID.randomUUID().toString().substring(0, 8);
        // As the generated Integrations start it: no arguments, the command line in CEFIOT_ARGS, the
        // site file mounted and the console password from the environment (a Secret, on k3s).
        DockerEngine.docker("run", "-d", "--name", container, "--network", "host",
                "-v", state + ":/var/lib/cefiot", "-v", site + ":/etc/cefiot/site:ro",
                "-e", "CEFIOT_CONSOLE_PASSWORD=" + password, "-e", "CEFIOT_JAVA_OPTS=-Xmx256m",
                "-e", "CEFIOT_ARGS=run camera ingest enrich --config /etc/cefiot/site/site.properties --console-port " + consolePort,
                IMAGE).orFail("docker run");
        try {
            List<ConsumerRecord<String, byte[]>> enriched = Topics.readAtLeast(kafka.bootstrapServers(),
                    TestSite.SITE_ID + ".images.enriched", 8, Duration.ofMinutes(3));
            assertThat(enriched).hasSize(8).allSatisfy(record -> {
                assertThat(Topics.header(record, ImageHeaders.CAMERA)).isEqualTo("gate-cam");
                assertThat(Topics.header(record, ImageHeaders.SITE)).isEqualTo(TestSite.SITE_ID);
                assertThat(record.value()).startsWith((byte) 0xFF, (byte) 0xD8);
            });
            await("quarantine of the bad file").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.exists(state.resolve("quarantine").resolve(bad + ".reason.txt")));
            assertThat(Files.readString(state.resolve("quarantine").resolve(bad + ".reason.txt"))).contains("reason: NOT_A_JPEG");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + consolePort + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"ingest-spool-to-edge\":\"Started\"");
            assertThat(DockerEngine.docker("logs", container).output()).doesNotContain(password);
        } finally {
            System.out.println("--- container log ---\n" + DockerEngine.docker("logs", container).output());
            try (var files = Files.walk(state)) {
                System.out.println("--- state folder ---\n" + String.join("\n", files.map(state::relativize).map(Path::toString).toList()));
            }
            DockerEngine.docker("rm", "-f", container);
        }
    }

}
