package io.cefiot.localsite;

import io.cefiot.deploy.K3sStage;
import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.Stage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.Uuid;

/**
 * The two Kafka clusters of a local multi-process site: three edge nodes, each its own
 * process, and one cloud node behind the {@link CloudLink} (in its own network namespace
 * when run as root). The chaos run and the benchmarks start their stages against these.
 */
public final class LocalClusters implements AutoCloseable {

    public static final int EDGE_NODES = 3;

    private final Path dir;
    private final SiteProcess.Jvm jvm;
    private final CloudLink link;
    private final KafkaNodeConfig edgeKafka;
    private final KafkaNodeConfig cloudKafka;
    private final List<SiteProcess> edgeBrokers = new ArrayList<>();
    private final SiteProcess cloudBroker;

    private LocalClusters(Path dir, SiteProcess.Jvm jvm, CloudLink link) {
        this.dir = dir;
        this.jvm = jvm;
        this.link = link;
        this.edgeKafka = KafkaNodeConfig.onFreePorts(EDGE_NODES, dir.resolve("edge-kafka"));
        this.cloudKafka = KafkaNodeConfig.onFreePorts(1, dir.resolve("cloud-kafka"), link.cloudHost());
        String edgeClusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < EDGE_NODES; i++) {
            edgeBrokers.add(new SiteProcess("broker-edge-" + i, "edge-" + i, Optional.empty(), jvm, "512m", logs(),
                    List.of("broker", "--properties", edgeKafka.prepare(i, edgeClusterId, brokerOverrides()).toString())));
        }
        this.cloudBroker = new SiteProcess("broker-cloud-0", "cloud", link.cloudNamespace(), jvm, "512m", logs(),
                List.of("broker", "--properties", cloudKafka.prepare(0, Uuid.randomUuid().toString(), brokerOverrides()).toString()));
    }

    /** Lays out the clusters under {@code dir} and makes the link; nothing runs yet. Every process gets {@code jvm}'s options. */
    public static LocalClusters create(Path dir, SiteProcess.Jvm jvm) {
        return new LocalClusters(dir, jvm, CloudLink.create());
    }

    private static Map<String, String> brokerOverrides() {
        return Map.of("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    }

    /** Starts every Kafka node and waits until all of them answer. */
    public void start(PrintStream out) throws InterruptedException {
        out.printf("Starting 3 edge Kafka nodes and 1 cloud Kafka node (%s)...%n",
                link.isReal() ? "cloud in network namespace " + link.cloudNamespace().orElseThrow() : "cloud on loopback, no namespace");
        edgeBrokers.forEach(SiteProcess::start);
        cloudBroker.start();
        EmbeddedKafkaCluster.awaitBrokers(edgeKafka.bootstrapServers(), EDGE_NODES, Duration.ofMinutes(3));
        EmbeddedKafkaCluster.awaitBrokers(cloudKafka.bootstrapServers(), 1, Duration.ofMinutes(3));
    }

    /** A process of {@code cefiot run STAGE} on a node ("edge-N" or "cloud"); not started. */
    public SiteProcess stage(String name, String node, String stage, Path config) {
        return new SiteProcess(name, node, node.equals("cloud") ? link.cloudNamespace() : Optional.empty(), jvm, "256m", logs(),
                List.of("run", stage, "--config", config.toString()));
    }

    /** As {@link #stage}, with the JVM options the stage's pods run with on k3s (K3sStage), to measure what ships. */
    public SiteProcess stageAsOnK3s(String name, String node, String stage, Path config) {
        List<String> options = K3sStage.sized(Stage.parse(stage), node.equals("cloud") ? Side.CLOUD : Side.EDGE).jvmOptions();
        return new SiteProcess(name, node, node.equals("cloud") ? link.cloudNamespace() : Optional.empty(), options, logs(),
                List.of("run", stage, "--config", config.toString()));
    }

    /** The settings every stage of a site on these clusters needs; its folders are under {@code siteDir}. */
    public Map<String, String> siteSettings(String siteId, Path siteDir) {
        Map<String, String> settings = SiteConfig.localSite(siteId, edgeKafka.bootstrapServers(), cloudKafka.bootstrapServers(), siteDir);
        // The chaos run and the benchmark measure faults and speed on a plaintext cloud (as MirrorMaker 2,
        // the benchmark's reference, runs); the secured uplink is tested by CloudSecurityTest and the demo.
        settings.put(Setting.CLOUD_SECURITY_PROTOCOL.key(), "PLAINTEXT");
        settings.put(Setting.KAFKA_PARTITIONS.key(), "6");
        // Processes start while others are busy starting on the same two cores.
        settings.put(Setting.KAFKA_STARTUP_TIMEOUT_MS.key(), "120000");
        return settings;
    }

    /** Writes a site.properties file. */
    public static Path writeSettings(Path file, String comment, Map<String, String> settings) {
        List<String> lines = new ArrayList<>();
        lines.add("# " + comment);
        settings.forEach((k, v) -> lines.add(k + " = " + v));
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** A reference tool's process (Kafka's own tools), with the same JVM options as ours; not started. */
    public SiteProcess tool(String name, String node, Path classpathDirectory, String mainClass, List<String> args) {
        return SiteProcess.ofTool(name, node, Optional.empty(), jvm, "256m", logs(), classpathDirectory, mainClass, args);
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public CloudLink link() {
        return link;
    }

    public KafkaNodeConfig edgeKafka() {
        return edgeKafka;
    }

    public KafkaNodeConfig cloudKafka() {
        return cloudKafka;
    }

    public List<SiteProcess> edgeBrokers() {
        return edgeBrokers;
    }

    public SiteProcess cloudBroker() {
        return cloudBroker;
    }

    /** Undoes any link fault, stops every Kafka node at once, and removes the link. */
    @Override
    public void close() {
        link.restoreQuietly();
        List<SiteProcess> brokers = new ArrayList<>(edgeBrokers);
        brokers.add(cloudBroker);
        stopTogether(brokers);
        link.close();
    }

    public static void stopTogether(List<SiteProcess> processes) {
        processes.parallelStream().forEach(SiteProcess::stop);
    }
}
