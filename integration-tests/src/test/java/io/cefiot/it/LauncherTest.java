package io.cefiot.it;

import io.cefiot.kafka.ListenerPorts;
import io.cefiot.site.Setting;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged launcher as a user runs it: a real JVM, real exit codes, real output. */
class LauncherTest {

    record Result(int exitCode, String stdout, String stderr) {
    }

    @TempDir
    Path dir;

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    /** The checkout's {@code ./cefiot} script: how users start bench and chaos (from the tools jar). */
    static final Path SCRIPT = Path.of(System.getProperty("cefiot.jar")).getParent().getParent().resolveSibling("cefiot");

    /** {@code java -jar cefiot.jar ARGS}, the shipped jar; bench and chaos through {@link #SCRIPT}, which runs them from the tools jar. */
    static Process start(Path workDir, String... args) throws IOException {
        boolean tool = args.length > 0 && (args[0].equals("bench") || args[0].equals("chaos"));
        List<String> command = new ArrayList<>(tool ? List.of("bash", SCRIPT.toString())
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar", System.getProperty("cefiot.jar")));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(workDir.resolve("stdout.txt").toFile())
                .redirectError(workDir.resolve("stderr.txt").toFile())
                .start();
    }

    static Result cefiot(Path workDir, long timeoutSeconds, String... args) throws Exception {
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        Process process = start(workDir, args);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cefiot " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void demo_should_archive_exactly_the_images_it_spooled_over_the_secured_uplink_and_log_no_secret() throws Exception {
        Path data = dir.resolve("demo");
        Result result = cefiot(dir, 300, "demo", "--images", "40", "--data", data.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Done: archived 40 of 40 images")
                .containsPattern("Time from capture to safe, p50 / p99: acknowledged at the edge \\d+\\.\\d\\d / \\d+\\.\\d\\d s"
                        + " \\| committed in the cloud [^|]+ \\| archived \\d+\\.\\d\\d / \\d+\\.\\d\\d s");
        try (var cameras = Files.list(data.resolve("archive").resolve("demo-site"))) {
            assertThat(cameras.map(p -> p.getFileName().toString()))
                    .as("the motion-detecting camera replaying the demo clip captured them").containsExactly("gate-cam");
        }
        assertThat(ArchiveContents.loggedHashes(data.resolve("source.sha256"))).hasSize(40);
        assertThat(ArchiveContents.imageHashes(data.resolve("archive")))
                .containsExactlyElementsOf(ArchiveContents.loggedHashes(data.resolve("source.sha256")));

        assertThat(result.stdout()).contains("Uplink secured: TLS to the cloud").contains("logs in with SCRAM-SHA-512");
        // Every secret the run made: the site's cloud login, the cloud keystores' passwords, the console's login.
        List<String> secrets = new ArrayList<>();
        for (Path folder : List.of(data.resolve("secrets"), data.resolve("kafka-cloud").resolve("tls"))) {
            try (var files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".password")).toList()) {
                    secrets.add(Files.readString(file).trim());
                }
            }
        }
        assertThat(secrets).as("site login, node and operator keystores, console").hasSize(4).allSatisfy(s -> assertThat(s).hasSizeGreaterThan(20));
        String logs = result.stdout() + result.stderr();
        assertThat(secrets).allSatisfy(secret -> assertThat(logs).doesNotContain(secret));
        assertThat(logs).doesNotContain("PRIVATE KEY").doesNotContain("password=\"");
    }

    @Test
    void run_should_carry_images_to_the_archive_in_an_edge_and_a_cloud_process_follow_place_and_stop_on_sigterm() throws Exception {
        TestSite site = clusters.site(dir).set(Setting.CAMERA_IMAGES, "150").set(Setting.CAMERA_INTERVAL_MS, "60")
                .set(Setting.CONSOLE_USER, "operator").set(Setting.CONSOLE_PASSWORD, "edge-secret");
        Path config = site.write(dir.resolve("site.properties"));
        Path edgeDir = Files.createDirectories(dir.resolve("edge-process"));
        Path cloudDir = Files.createDirectories(dir.resolve("cloud-process"));
        Path placeDir = Files.createDirectories(dir.resolve("place-process"));
        int edgeConsole = ListenerPorts.next();
        Process edgeNode = start(edgeDir, "run", "--side", "edge", "--config", config.toString(), "--console-port", Integer.toString(edgeConsole));
        Process cloudNode = start(cloudDir, "run", "--side", "cloud", "--config", config.toString(), "--console-port", Integer.toString(ListenerPorts.next()));
        Result place;
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ArchiveContents.images(site.archive()).size() >= 20);
            // The edge process's console: probes open, the console API only with the configured login.
            HttpResponse<String> ready = ConsoleHttp.get(edgeConsole, "/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"uplink-edge-to-cloud\":\"Started\"");
            assertThat(ConsoleHttp.get(edgeConsole, "/hawtio/jolokia/version").statusCode()).isEqualTo(403);
            assertThat(ConsoleHttp.get(edgeConsole, "/hawtio/jolokia/version", "operator", "edge-secret").statusCode()).isEqualTo(200);
            // Ours, Camel's per route, and the JVM's.
            assertThat(ConsoleHttp.get(edgeConsole, "/observe/metrics").body())
                    .contains("cefiot_link_up").contains("cefiot_edge_backlog_images")
                    .contains("camel_exchanges_succeeded_total{").contains("routeId=\"uplink-edge-to-cloud\"")
                    .contains("jvm_memory_used_bytes{").contains("jvm_gc_pause_seconds").contains("process_cpu_usage");
            place = cefiot(placeDir, 180, "place", "enrich", "cloud", "--config", config.toString());
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ArchiveContents.images(site.archive()).size() >= 150);
        } finally {
            edgeNode.destroy();
            cloudNode.destroy();
        }

        assertThat(edgeNode.waitFor(30, TimeUnit.SECONDS)).as("edge process stops on SIGTERM").isTrue();
        assertThat(cloudNode.waitFor(30, TimeUnit.SECONDS)).as("cloud process stops on SIGTERM").isTrue();
        assertThat(place.exitCode()).as(place.stderr()).isZero();
        assertThat(place.stdout()).contains("placement.enrich = cloud").contains("cefiot: moved.");
        assertThat(ArchiveContents.imageHashes(site.archive())).hasSize(150)
                .containsExactlyInAnyOrderElementsOf(ArchiveContents.loggedHashes(site.captureLog()));
        assertThat(Files.readString(edgeDir.resolve("stdout.txt"))).contains("running camera, ingest, enrich, uplink for site test-site");
        assertThat(Files.readString(cloudDir.resolve("stdout.txt"))).contains("running archive for site test-site");
    }

    @Test
    void demo_should_refuse_a_placement_that_cannot_be_before_starting_any_broker() throws Exception {
        Result fixedStage = cefiot(dir, 60, "demo", "--placement", "archive=edge", "--data", dir.resolve("d").toString());
        Result crossesBack = cefiot(dir, 60, "demo", "--placement", "enrich=cloud", "--placement", "compact=edge",
                "--data", dir.resolve("d").toString());

        assertThat(fixedStage.exitCode()).isEqualTo(2);
        assertThat(fixedStage.stderr()).contains("the archive stage cannot move");
        assertThat(crossesBack.exitCode()).isEqualTo(2);
        assertThat(crossesBack.stderr()).contains("cross back");
        assertThat(crossesBack.stdout()).doesNotContain("Starting the edge cluster");
    }

    @Test
    void run_should_stop_with_a_message_naming_a_bad_setting() throws Exception {
        Path config = dir.resolve("site.properties");
        Files.writeString(config, "site.id=north-gate\nspool.max-image-bytes=big\n");

        Result result = cefiot(dir, 60, "run", "ingest", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("'spool.max-image-bytes'").contains(config.toString()).contains("whole number");
    }

    @Test
    void run_should_stop_with_a_message_naming_an_unreachable_cluster() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path config = dir.resolve("site.properties");
        Files.writeString(config, "site.id=north-gate\nedge.bootstrap-servers=localhost:" + closedPort
                + "\nkafka.startup-timeout-ms=3000\nspool.dir=" + dir.resolve("spool") + "\n");

        Result result = cefiot(dir, 60, "run", "ingest", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("edge.bootstrap-servers=localhost:" + closedPort).contains("No Kafka broker answered");
    }

    @Test
    void run_should_refuse_an_unknown_stage() throws Exception {
        Path config = dir.resolve("site.properties");
        Files.writeString(config, "site.id=north-gate\n");

        Result result = cefiot(dir, 60, "run", "compress", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("Unknown stage 'compress'").contains("ingest");
    }

    @Test
    void routes_check_should_pass_the_shipped_routes_and_name_the_file_and_line_of_an_unknown_bean_or_broken_yaml() throws Exception {
        Path shipped = Path.of(System.getProperty("cefiot.jar")).getParent().getParent().resolveSibling("routes");

        Result ok = cefiot(dir, 120, "routes", "check", "--routes", shipped.toString());

        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).contains("cefiot routes check: OK, 7 routes").contains("enrich-add-site-metadata")
                .contains("uplink-edge-to-cloud").contains("every bean, placeholder, component and option resolved");

        Result noBean = checkEdited(shipped, "enrich.camel.yaml", "ref: imageEnricher", "ref: imageEnrichr");

        assertThat(noBean.exitCode()).isEqualTo(1);
        assertThat(noBean.stderr()).contains("FAILED").containsPattern("enrich\\.camel\\.yaml, line \\d+")
                .contains("No bean could be found in the registry for: imageEnrichr");

        Result noClass = checkEdited(shipped, "enrich.camel.yaml", "io.cefiot.enrich.ImageEnricher\"", "io.cefiot.enrich.ImageEnrichr\"");

        assertThat(noClass.exitCode()).isEqualTo(1);
        assertThat(noClass.stderr()).contains("FAILED").contains("enrich.camel.yaml, line 7: the bean imageEnricher cannot be created")
                .contains("io.cefiot.enrich.ImageEnrichr");

        Path brokenYaml = copyOfRoutes(shipped, "broken-yaml");
        Path archive = brokenYaml.resolve("archive.camel.yaml");
        Files.writeString(archive, Files.readString(archive).replaceFirst("steps:", "steps:\n   - bad: [unclosed"));
        Result broken = cefiot(dir, 120, "routes", "check", "--routes", brokenYaml.toString());

        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.stderr()).contains("FAILED").containsPattern("archive\\.camel\\.yaml, line \\d+, column \\d+");
    }

    /** {@code ./cefiot routes check} on a copy of the routes in which {@code file} has {@code text} replaced by {@code edit}. */
    private Result checkEdited(Path routes, String file, String text, String edit) throws Exception {
        Path copy = copyOfRoutes(routes, "edited-" + edit.replaceAll("\\W", ""));
        Path edited = copy.resolve(file);
        Files.writeString(edited, Files.readString(edited).replace(text, edit));
        return cefiot(dir, 120, "routes", "check", "--routes", copy.toString());
    }

    private Path copyOfRoutes(Path routes, String name) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        try (var files = Files.list(routes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }
}
