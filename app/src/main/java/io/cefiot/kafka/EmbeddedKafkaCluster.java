package io.cefiot.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.cefiot.security.ClusterTls;
import io.cefiot.clients.ClusterAccess;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * Real KRaft nodes inside this JVM, for the demo and the tests, configured exactly as a
 * node of a small site ({@link KafkaNodeConfig}) and formatted as {@code kafka-storage
 * format} would. Data lives under the given directory.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaNodeConfig config;
    private final List<KafkaRaftServer> servers;

    private EmbeddedKafkaCluster(KafkaNodeConfig config, List<KafkaRaftServer> servers) {
        this.config = config;
        this.servers = servers;
    }

    public static EmbeddedKafkaCluster start(int nodes, Path dataDirectory) {
        return start(KafkaNodeConfig.onFreePorts(nodes, dataDirectory), dataDirectory);
    }

    /**
     * A cluster secured as the cloud cluster is ({@link KafkaNodeConfig#secured}), with a new
     * certificate authority and certificates in {@code DATA/tls}. Sites get in only once granted
     * ({@link io.cefiot.security.SiteAccess}, through {@link #operatorAccess()}).
     */
    public static EmbeddedKafkaCluster startSecured(int nodes, Path dataDirectory) {
        KafkaNodeConfig plain = KafkaNodeConfig.onFreePorts(nodes, dataDirectory);
        return start(plain.secured(ClusterTls.create(dataDirectory.resolve("tls"), plain.hosts())), dataDirectory);
    }

    private static EmbeddedKafkaCluster start(KafkaNodeConfig config, Path dataDirectory) {
        return start(config, dataDirectory, nodeId -> Map.of());
    }

    /** The nodes of {@code config}, each with the extra settings {@code nodeOverrides} gives for its id. */
    public static EmbeddedKafkaCluster start(KafkaNodeConfig config, Path dataDirectory, IntFunction<Map<String, String>> nodeOverrides) {
        int nodes = config.size();
        String clusterId = Uuid.randomUuid().toString();
        List<KafkaRaftServer> servers = new ArrayList<>();
        try {
            for (int id = 0; id < nodes; id++) {
                Map<String, String> overrides = new HashMap<>(nodeOverrides.apply(id));
                // Embedded nodes stop together and their data is thrown away: nothing to hand over.
                overrides.put("controlled.shutdown.enable", "false");
                // Each node reserves this buffer up front (128 MiB by default); four nodes in one
                // JVM would spend half a 1 GiB heap on it. Only the small offsets topic is compacted.
                overrides.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
                Properties properties = load(config.prepare(id, clusterId, overrides));
                servers.add(new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM));
            }
            // Controllers need a quorum to finish starting, so all nodes start side by side.
            CompletableFuture.allOf(servers.stream()
                    .map(server -> CompletableFuture.runAsync(server::startup))
                    .toArray(CompletableFuture[]::new)).join();
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(config, servers);
            awaitBrokers(config.operatorAccess(), nodes, READY_TIMEOUT);
            return cluster;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting an embedded Kafka cluster", e);
        } catch (RuntimeException e) {
            stopAll(servers);
            throw new IllegalStateException("Cannot start an embedded Kafka cluster of " + nodes + " nodes in "
                    + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Reads a node's server.properties, as written by {@link KafkaNodeConfig#prepare}. */
    public static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return properties;
    }

    /** Waits until {@code expected} brokers of the cluster at {@code bootstrapServers} have registered. */
    public static void awaitBrokers(String bootstrapServers, int expected, Duration timeout) throws InterruptedException {
        awaitBrokers(ClusterAccess.plaintext("cluster", bootstrapServers), expected, timeout);
    }

    /** Waits until {@code expected} brokers of the cluster have registered. */
    public static void awaitBrokers(ClusterAccess cluster, int expected, Duration timeout) throws InterruptedException {
        String bootstrapServers = cluster.bootstrapServers();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(cluster.clientConfig())) {
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= expected) {
                        return;
                    }
                } catch (Exception notYet) {
                    // brokers still registering; ask again
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException(expected + " Kafka brokers at " + bootstrapServers + " did not register within "
                + timeout.toSeconds() + " s");
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The cluster's TLS material, when it was started secured. */
    public Optional<ClusterTls> tls() {
        return config.tls();
    }

    /** How the operator's tools reach this cluster (as a super user, when it is secured). */
    public ClusterAccess operatorAccess() {
        return config.operatorAccess();
    }

    /**
     * Stops every node at once: stopped one by one, the last nodes would lose their
     * controller quorum and wait forever in controlled shutdown.
     */
    @Override
    public void close() {
        stopAll(servers);
    }

    private static void stopAll(List<KafkaRaftServer> servers) {
        CompletableFuture.allOf(servers.stream()
                .map(server -> CompletableFuture.runAsync(server::shutdown))
                .toArray(CompletableFuture[]::new)).join();
        servers.forEach(KafkaRaftServer::awaitShutdown);
    }
}
