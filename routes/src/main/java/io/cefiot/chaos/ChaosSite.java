package io.cefiot.chaos;

import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.Uuid;

/**
 * A whole site as separate processes on this machine: three edge Kafka nodes, one cloud
 * Kafka node, a camera, and every stage as two replicas. Each edge node i runs broker i and
 * some stage replicas, so losing a node loses both. The cloud side (its node and the archive
 * replicas) sits behind the {@link CloudLink}.
 */
final class ChaosSite implements AutoCloseable {

    static final String SITE_ID = "chaos";
    static final int EDGE_NODES = 3;

    /** Stage replicas and the edge node each runs on; the archive runs in the cloud. */
    private static final Map<String, String> REPLICAS = new LinkedHashMap<>();

    static {
        REPLICAS.put("ingest-a", "edge-0");
        REPLICAS.put("ingest-b", "edge-1");
        REPLICAS.put("enrich-a", "edge-1");
        REPLICAS.put("enrich-b", "edge-2");
        REPLICAS.put("uplink-a", "edge-2");
        REPLICAS.put("uplink-b", "edge-0");
        REPLICAS.put("archive-a", "cloud");
        REPLICAS.put("archive-b", "cloud");
    }

    final Path dir;
    final CloudLink link;
    final KafkaNodeConfig edgeKafka;
    final KafkaNodeConfig cloudKafka;
    final List<SiteProcess> edgeBrokers = new ArrayList<>();
    final SiteProcess cloudBroker;
    final SiteProcess camera;
    final Map<String, SiteProcess> stages = new LinkedHashMap<>();
    final SpoolDisk spoolDisk;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChaosSite(Path dir, CloudLink link, SpoolDisk spoolDisk) {
        this.dir = dir;
        this.link = link;
        this.spoolDisk = spoolDisk;
        this.edgeKafka = KafkaNodeConfig.onFreePorts(EDGE_NODES, dir.resolve("edge-kafka"));
        this.cloudKafka = KafkaNodeConfig.onFreePorts(1, dir.resolve("cloud-kafka"), link.cloudHost());
        Path logs = dir.resolve("logs");
        Optional<String> cloudNamespace = link.cloudNamespace();
        String edgeClusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < EDGE_NODES; i++) {
            edgeBrokers.add(new SiteProcess("broker-edge-" + i, "edge-" + i, Optional.empty(), "512m", logs,
                    List.of("broker", "--properties", edgeKafka.prepare(i, edgeClusterId, brokerOverrides()).toString())));
        }
        this.cloudBroker = new SiteProcess("broker-cloud-0", "cloud", cloudNamespace, "512m", logs,
                List.of("broker", "--properties", cloudKafka.prepare(0, Uuid.randomUuid().toString(), brokerOverrides()).toString()));
        Path config = dir.resolve("site.properties");
        this.camera = new SiteProcess("camera", "camera", Optional.empty(), "256m", logs,
                List.of("run", "camera", "--config", config.toString()));
        REPLICAS.forEach((name, node) -> stages.put(name, new SiteProcess(name, node,
                node.equals("cloud") ? cloudNamespace : Optional.empty(), "256m", logs,
                List.of("run", name.substring(0, name.indexOf('-')), "--config", config.toString()))));
    }

    private static Map<String, String> brokerOverrides() {
        return Map.of("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    }

    /** Creates the site under {@code dir} and starts every process; the camera last. */
    static ChaosSite start(Path dir, long seed, int cameraIntervalMs, PrintStream out) throws InterruptedException {
        CloudLink link = CloudLink.create();
        SpoolDisk spoolDisk = SpoolDisk.create(dir.resolve("spool"));
        ChaosSite site = new ChaosSite(dir, link, spoolDisk);
        // Ctrl-C or SIGTERM at any point must not leave processes, the namespace or the mount behind.
        Runtime.getRuntime().addShutdownHook(new Thread(site::close, "cefiot-chaos-cleanup"));
        try {
            out.printf("Starting 3 edge Kafka nodes and 1 cloud Kafka node (%s)...%n",
                    link.isReal() ? "cloud in network namespace " + link.cloudNamespace().orElseThrow() : "cloud on loopback, no namespace");
            site.edgeBrokers.forEach(SiteProcess::start);
            site.cloudBroker.start();
            EmbeddedKafkaCluster.awaitBrokers(site.edgeKafka.bootstrapServers(), EDGE_NODES, Duration.ofMinutes(3));
            EmbeddedKafkaCluster.awaitBrokers(site.cloudKafka.bootstrapServers(), 1, Duration.ofMinutes(3));
            site.writeConfig(seed, cameraIntervalMs);
            out.println("Starting 8 stage replicas (ingest, enrich, uplink and archive, two each) and the camera...");
            site.stages.values().forEach(SiteProcess::start);
            site.camera.start();
            return site;
        } catch (RuntimeException | InterruptedException e) {
            site.close();
            throw e;
        }
    }

    private void writeConfig(long seed, int cameraIntervalMs) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(Setting.SITE_ID.key(), SITE_ID);
        settings.put(Setting.EDGE_BOOTSTRAP_SERVERS.key(), edgeKafka.bootstrapServers());
        settings.put(Setting.CLOUD_BOOTSTRAP_SERVERS.key(), cloudKafka.bootstrapServers());
        settings.put(Setting.SPOOL_DIR.key(), spool().toString());
        settings.put(Setting.QUARANTINE_DIR.key(), dir.resolve("quarantine").toString());
        settings.put(Setting.ARCHIVE_DIR.key(), archive().toString());
        settings.put(Setting.CAMERA_SOURCE.key(), SiteConfig.SYNTHETIC_SOURCE);
        settings.put(Setting.CAMERA_IDS.key(), "cam-1,cam-2,cam-3");
        settings.put(Setting.CAMERA_IMAGES.key(), "0");
        settings.put(Setting.CAMERA_INTERVAL_MS.key(), Integer.toString(cameraIntervalMs));
        settings.put(Setting.CAMERA_SEED.key(), Long.toString(seed));
        settings.put(Setting.CAMERA_CAPTURE_LOG.key(), captureLog().toString());
        settings.put(Setting.KAFKA_PARTITIONS.key(), "6");
        // Processes start while others are busy starting on the same two cores.
        settings.put(Setting.KAFKA_STARTUP_TIMEOUT_MS.key(), "120000");
        List<String> lines = new ArrayList<>();
        lines.add("# CEFIoT chaos site (seed " + seed + ")");
        settings.forEach((k, v) -> lines.add(k + " = " + v));
        try {
            Files.write(dir.resolve("site.properties"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path spool() {
        return dir.resolve("spool");
    }

    Path archive() {
        return dir.resolve("archive");
    }

    Path captureLog() {
        return dir.resolve("source.sha256");
    }

    String topicReadByArchive() {
        return SITE_ID + ".images.enriched";
    }

    /** Processes that are not running although nothing stopped them. */
    List<SiteProcess> exitedOnTheirOwn() {
        List<SiteProcess> all = new ArrayList<>(edgeBrokers);
        all.add(cloudBroker);
        all.add(camera);
        all.addAll(stages.values());
        return all.stream().filter(p -> !p.isAlive()).toList();
    }

    List<SiteProcess> processesOnNode(int node) {
        List<SiteProcess> onNode = new ArrayList<>();
        onNode.add(edgeBrokers.get(node));
        stages.values().stream().filter(p -> p.node().equals("edge-" + node)).forEach(onNode::add);
        return onNode;
    }

    /** Undoes any fault still in force, then stops every process at once (stages first, then Kafka). */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        link.restoreQuietly();
        spoolDisk.free();
        List<SiteProcess> stagesAndCamera = new ArrayList<>(stages.values());
        stagesAndCamera.add(camera);
        stopTogether(stagesAndCamera);
        List<SiteProcess> brokers = new ArrayList<>(edgeBrokers);
        brokers.add(cloudBroker);
        stopTogether(brokers);
        spoolDisk.close();
        link.close();
    }

    private static void stopTogether(List<SiteProcess> processes) {
        processes.parallelStream().forEach(SiteProcess::stop);
    }
}
