package io.cefiot.launcher;

import io.cefiot.camera.video.Scene;
import io.cefiot.camera.video.SceneVideo;
import io.cefiot.console.ConsoleCredentials;
import io.cefiot.console.ConsoleServer;
import io.cefiot.console.ConsoleUsers;
import io.cefiot.console.ProcessConsole;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.security.ClusterTls;
import io.cefiot.security.Passwords;
import io.cefiot.security.SiteAccess;
import io.cefiot.site.ConfigException;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.camel.util.FileUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default: an edge cluster of three KRaft nodes and a cloud cluster of one,
 * all in this JVM, every stage, and the motion-detecting camera replaying a rendered clip with
 * known motion (or any other camera source), with live progress.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline on embedded Kafka clusters (edge: 3 nodes, cloud: 1); the camera detects motion "
                + "in a replayed clip of objects crossing a scene.")
public class DemoCommand implements Callable<Integer> {

    static final String SITE_ID = "demo-site";

    private static final Duration CLUSTER_STOP_WAIT = Duration.ofSeconds(5);

    @Option(names = "--images", paramLabel = "N",
            description = "Capture N images, exit 0 once all N are archived. Without it, run until Ctrl-C.")
    Integer images;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "cefiot-demo",
            description = "Working directory: spool, quarantine, archive, Kafka logs, source.sha256 (default: ${DEFAULT-VALUE}). Its previous demo data is removed.")
    Path data;

    @Option(names = "--camera", paramLabel = "SOURCE",
            description = "What the camera reads: a video file, /dev/videoN, an rtsp:// or http:// stream, or synthetic "
                    + "(seeded still images). Default: a clip the demo renders (20 s of objects crossing a scene, looped).")
    String camera;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic camera (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--interval-ms", defaultValue = "50",
            description = "Least milliseconds between two captures (default: ${DEFAULT-VALUE}, at most 20 captures a second).")
    long intervalMs;

    @Option(names = "--placement", paramLabel = "STAGE=SIDE",
            description = "Run a stage on another side, for example enrich=cloud (the paper's Scenario 2). Naming compact "
                    + "(compact=edge or compact=cloud) adds the compact stage there. Repeatable.")
    Map<String, String> placement = new LinkedHashMap<>();

    @Option(names = "--console-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the console: /hawtio (login printed at start), /observe/metrics, /observe/health (default: ${DEFAULT-VALUE}).")
    int consolePort;

    @Option(names = "--no-console", description = "Do not serve the console.")
    boolean noConsole;

    @Option(names = "--stall-timeout", defaultValue = "180",
            description = "Seconds without any progress after which the demo gives up with exit code 1 (default: ${DEFAULT-VALUE}).")
    long stallTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (images != null && images <= 0) {
            System.err.println("cefiot: --images must be at least 1 (or left out to run until Ctrl-C).");
            return 2;
        }
        if (intervalMs < 1) {
            System.err.println("cefiot: --interval-ms must be at least 1.");
            return 2;
        }
        Map<String, String> placementSettings = placementSettings();
        Path dir = data.toAbsolutePath();
        clearPreviousRun(dir);
        System.out.println("Starting the edge cluster (3 KRaft nodes) and the cloud cluster (1 node) in this JVM...");
        long started = System.nanoTime();
        EmbeddedKafkaCluster edge = EmbeddedKafkaCluster.start(3, dir.resolve("kafka-edge"));
        EmbeddedKafkaCluster cloud = EmbeddedKafkaCluster.startSecured(1, dir.resolve("kafka-cloud"));
        System.out.printf("Clusters up in %.1f s: edge %s, cloud %s%n", seconds(started), edge.bootstrapServers(), cloud.bootstrapServers());
        // Readable by the one who runs the demo only, like every file in it.
        Path secrets = Files.createDirectories(dir.resolve("secrets"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String sitePassword = grantSite(cloud, secrets);
        Path caFile = cloud.tls().orElseThrow().caCertificate();
        System.out.printf("Uplink secured: TLS to the cloud (CA %s), site %s logs in with %s (password in %s), "
                + "the cloud's ACLs allow it only its own topics%n", caFile, SITE_ID, ClusterAccess.SCRAM, secrets.resolve(SITE_ID + ".password"));
        System.out.printf("Cloud operator listener: %s (./cefiot cloud-access --bootstrap-servers %s --tls-dir %s grant|revoke ...)%n",
                cloud.operatorAccess().bootstrapServers(), cloud.operatorAccess().bootstrapServers(), caFile.getParent());

        Map<String, String> settings = new LinkedHashMap<>();
        settings.putAll(SiteConfig.localSite(SITE_ID, edge.bootstrapServers(), cloud.bootstrapServers(), dir));
        settings.put(Setting.CLOUD_SSL_CA_FILE.key(), caFile.toString());
        settings.put(Setting.CLOUD_SASL_PASSWORD.key(), sitePassword);
        settings.put(Setting.CAMERA_IMAGES.key(), Integer.toString(images == null ? 0 : images));
        settings.putAll(cameraSettings(dir));
        settings.put(Setting.CAMERA_CAPTURE_LOG.key(), dir.resolve("source.sha256").toString());
        settings.putAll(placementSettings);
        SiteConfig config = SiteConfig.of("the demo", settings);
        System.out.print(PlanCommand.describe(config));

        PrometheusMeterRegistry registry = ProcessConsole.registry();
        PipelineRuntime runtime = PipelineRuntime.start(config, SitePlan.of(config).stages(), registry);
        Optional<ConsoleServer> console = Optional.empty();
        if (!noConsole) {
            ConsoleCredentials login = ConsoleCredentials.generated("admin");
            Path loginFile = secrets.resolve("console-" + login.user() + ".password");
            ClusterTls.writePrivate(loginFile, login.password().getBytes(StandardCharsets.UTF_8));
            try {
                console = Optional.of(ConsoleServer.start(consolePort, ConsoleUsers.of(List.of(login)), registry, () -> List.of(runtime.context())));
            } catch (RuntimeException e) {
                closeQuietly(runtime);
                stopClusters(edge, cloud);
                throw e;
            }
            System.out.printf("Console: http://localhost:%d/hawtio  user: %s  password in %s  (metrics: /observe/metrics, health: /observe/health)%n",
                    console.get().port(), login.user(), loginFile);
        }
        Optional<ConsoleServer> consoleServer = console;
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                consoleServer.ifPresent(ConsoleServer::close);
                closeQuietly(runtime);
                stopClusters(edge, cloud);
            }
        };
        ProgressReporter progress = new ProgressReporter(runtime.counters(), System.out, System.console() != null);
        long pipelineStarted = System.nanoTime();
        Thread hook = new Thread(() -> {
            System.out.println();
            System.out.println("Stopping on request; at that moment: " + progress.snapshot().line(seconds(pipelineStarted)));
            stop.run();
        }, "cefiot-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        System.out.println("Pipeline running; archive in " + dir.resolve("archive")
                + (images == null ? ". Stop with Ctrl-C." : ", stopping after " + images + " images."));
        boolean complete = progress.followUntil(images == null ? Long.MAX_VALUE : images, stallTimeoutSeconds);
        ProgressReporter.Snapshot last = progress.snapshot();
        double elapsed = seconds(pipelineStarted);
        System.out.println("Stopping the pipeline and the clusters...");
        stop.run();
        Runtime.getRuntime().removeShutdownHook(hook);
        if (!complete) {
            System.err.printf("cefiot: no progress for %d s; stopped with %d images archived%s. Logs above say why.%n",
                    stallTimeoutSeconds, last.archived(), images == null ? "" : " of " + images);
            return 1;
        }
        System.out.println("Time from capture to safe, p50 / p99: " + progress.timeToSafety());
        System.out.printf("Done: archived %d of %d images in %.1f s (%.1f images/s); quarantined %d; repeats skipped %d; "
                        + "uplink carried %d image bytes. Archive: %s  Source hashes: %s%n",
                last.archived(), images, elapsed, last.archived() / elapsed, last.quarantined(), last.duplicates(),
                last.uplinkedBytes(), dir.resolve("archive"), dir.resolve("source.sha256"));
        return 0;
    }

    /**
     * Gives the demo site its login on the secured cloud cluster, as a cloud operator would
     * (./cefiot cloud-access grant): a random password, kept in SECRETS/SITE.password (owner only).
     */
    private static String grantSite(EmbeddedKafkaCluster cloud, Path secrets) throws IOException {
        String password = Passwords.random();
        try (Admin operator = Admin.create(cloud.operatorAccess().clientConfig())) {
            SiteAccess.grant(operator, SITE_ID, SITE_ID, password);
        }
        ClusterTls.writePrivate(secrets.resolve(SITE_ID + ".password"), password.getBytes(StandardCharsets.UTF_8));
        return password;
    }

    /** The camera: --camera, or the rendered demo clip, replayed in a loop. */
    private Map<String, String> cameraSettings(Path dir) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (SiteConfig.SYNTHETIC_SOURCE.equals(camera)) {
            settings.put(Setting.CAMERA_SOURCE.key(), SiteConfig.SYNTHETIC_SOURCE);
            settings.put(Setting.CAMERA_IDS.key(), "cam-1,cam-2");
            settings.put(Setting.CAMERA_INTERVAL_MS.key(), Long.toString(intervalMs));
            settings.put(Setting.CAMERA_SEED.key(), Long.toString(seed));
            return settings;
        }
        String source = camera;
        if (source == null) {
            Scene scene = Scene.demo();
            System.out.printf("Rendering the demo clip: %d s of %dx%d video with objects crossing the scene...%n",
                    scene.frames() / scene.fps(), scene.width(), scene.height());
            source = SceneVideo.write(scene, dir.resolve("demo-clip.avi")).toString();
            settings.put(Setting.CAMERA_LOOP.key(), "true");
        }
        settings.put(Setting.CAMERA_SOURCE.key(), source);
        settings.put(Setting.CAMERA_IDS.key(), "gate-cam");
        settings.put(Setting.CAMERA_MAX_RATE.key(), Double.toString(1000.0 / intervalMs));
        settings.put(Setting.CAMERA_STATE_DIR.key(), dir.resolve("camera-state").toString());
        return settings;
    }

    /** The settings --placement asks for, checked before any broker starts so that a mistake fails at once. */
    private Map<String, String> placementSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        placement.forEach((stage, side) -> {
            Setting placementSetting = placementSetting(stage);
            settings.put(placementSetting.key(), side);
            if (placementSetting == Setting.PLACEMENT_COMPACT) {
                settings.put(Setting.COMPACT_ENABLED.key(), "true");
            }
        });
        Map<String, String> probe = new LinkedHashMap<>(settings);
        probe.put(Setting.SITE_ID.key(), SITE_ID);
        SitePlan.of(SiteConfig.of("--placement", probe));
        return settings;
    }

    private static Setting placementSetting(String stageName) {
        Stage stage = Stage.parse(stageName);
        return stage.placementSetting().orElseThrow(() -> new ConfigException("--placement " + stageName
                + "=...: the " + stage.id() + " stage cannot move. Camera and ingest need the camera's spool at the edge,"
                + " the uplink sits on the cut, and the archive is the cloud's store; enrich and compact can run on either side."));
    }

    /** Removes only what an earlier demo left in DIR, so an unrelated folder is never wiped. */
    private static void clearPreviousRun(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : new String[] {"spool", "quarantine", "archive", "kafka-edge", "kafka-cloud", "secrets", "source.sha256"}) {
            Path path = dir.resolve(name);
            if (Files.exists(path)) {
                FileUtil.removeDir(path.toFile());
            }
        }
    }

    /**
     * Stops both clusters, waiting at most a few seconds: the demo's broker data is thrown
     * away, and a KRaft quorum shutting down all at once spends ~20 s in graceful
     * resignation timeouts. Whatever is left ends with the JVM.
     */
    private static void stopClusters(EmbeddedKafkaCluster... clusters) {
        Thread stopper = new Thread(() -> Arrays.stream(clusters).forEach(DemoCommand::closeQuietly), "cefiot-demo-cluster-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(CLUSTER_STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("cefiot: error while stopping: " + e.getMessage());
        }
    }
}
