package io.cefiot.chaos;

import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.localsite.CloudLink;
import io.cefiot.localsite.LocalClusters;
import io.cefiot.localsite.SiteProcess;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A whole site as separate processes on this machine: the {@link LocalClusters} (three edge
 * Kafka nodes, one cloud Kafka node), a camera, and every stage as two replicas. Each edge node
 * i runs broker i and some stage replicas, so losing a node loses both. The cloud side (its
 * node and the archive replicas) sits behind the {@link CloudLink}.
 */
final class ChaosSite implements AutoCloseable {

    static final String SITE_ID = "chaos";
    static final int EDGE_NODES = LocalClusters.EDGE_NODES;

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
    final LocalClusters clusters;
    final CloudLink link;
    final KafkaNodeConfig edgeKafka;
    final KafkaNodeConfig cloudKafka;
    final List<SiteProcess> edgeBrokers;
    final SiteProcess cloudBroker;
    final SiteProcess camera;
    final Map<String, SiteProcess> stages = new LinkedHashMap<>();
    final SpoolDisk spoolDisk;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChaosSite(Path dir, LocalClusters clusters, SpoolDisk spoolDisk) {
        this.dir = dir;
        this.clusters = clusters;
        this.link = clusters.link();
        this.edgeKafka = clusters.edgeKafka();
        this.cloudKafka = clusters.cloudKafka();
        this.edgeBrokers = clusters.edgeBrokers();
        this.cloudBroker = clusters.cloudBroker();
        this.spoolDisk = spoolDisk;
        Path config = dir.resolve("site.properties");
        this.camera = clusters.stage("camera", "camera", "camera", config);
        REPLICAS.forEach((name, node) -> stages.put(name, clusters.stage(name, node, name.substring(0, name.indexOf('-')), config)));
    }

    /** Creates the site under {@code dir} and starts every process; the camera last. */
    static ChaosSite start(Path dir, long seed, int cameraIntervalMs, PrintStream out) throws InterruptedException {
        SpoolDisk spoolDisk = SpoolDisk.create(dir.resolve("spool"));
        ChaosSite site = new ChaosSite(dir, LocalClusters.create(dir, SiteProcess.Jvm.QUICK_START), spoolDisk);
        // Ctrl-C or SIGTERM at any point must not leave processes, the namespace or the mount behind.
        Runtime.getRuntime().addShutdownHook(new Thread(site::close, "cefiot-chaos-cleanup"));
        try {
            site.clusters.start(out);
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
        Map<String, String> settings = clusters.siteSettings(SITE_ID, dir);
        settings.put(Setting.CAMERA_SOURCE.key(), SiteConfig.SYNTHETIC_SOURCE);
        settings.put(Setting.CAMERA_IDS.key(), "cam-1,cam-2,cam-3");
        settings.put(Setting.CAMERA_IMAGES.key(), "0");
        settings.put(Setting.CAMERA_INTERVAL_MS.key(), Integer.toString(cameraIntervalMs));
        settings.put(Setting.CAMERA_SEED.key(), Long.toString(seed));
        settings.put(Setting.CAMERA_CAPTURE_LOG.key(), captureLog().toString());
        LocalClusters.writeSettings(dir.resolve("site.properties"), "CEFIoT chaos site (seed " + seed + ")", settings);
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

    /** The edge topic the uplink copies to the cloud under the same name. */
    String topicCopiedByUplink() {
        return topicReadByArchive();
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
        LocalClusters.stopTogether(stagesAndCamera);
        clusters.close();
        spoolDisk.close();
    }
}
