package io.cefiot.runtime;

import io.cefiot.contract.ImageRecord;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.site.ConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Start-up checks against one cluster: that it answers, and that the topics the stages
 * use exist with the site's durability settings (replication factor up to 3,
 * min.insync.replicas up to 2, room for large images).
 */
public final class ClusterPreflight {

    private ClusterPreflight() {
    }

    /** The default.replication.factor of a broker of the cluster (1 if it cannot be read). */
    private static int defaultReplicationFactor(Admin admin, Collection<Node> nodes, Duration timeout) throws InterruptedException {
        if (nodes.isEmpty()) {
            return 1;
        }
        try {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(nodes.iterator().next().id()));
            ConfigEntry entry = admin.describeConfigs(List.of(broker)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(broker).get("default.replication.factor");
            return entry == null ? 1 : Integer.parseInt(entry.value());
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Creates the missing topics; {@code configFor} gives topic settings (retention, say) that
     * new topics get and existing ones are brought to. Returns how many partitions each topic has:
     * those it created, {@code partitions}; those that were there, as described by the cluster
     * (asking about a topic just created can race its metadata). A topic another process created
     * meanwhile is left out.
     */
    public static Map<String, Integer> ensureTopics(ClusterAccess cluster, Collection<String> topics,
                                                    int partitions, Duration timeout, Function<String, Map<String, String>> configFor) {
        Map<String, Object> config = cluster.clientConfig(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
        try (Admin admin = Admin.create(config)) {
            Collection<Node> nodes;
            try {
                nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new ConfigException(cluster.explain(e).orElse("No Kafka broker answered at " + cluster + " within "
                        + timeout.toSeconds() + " s. Check the address, and that the cluster is running and reachable."
                        + (cluster.security().isEmpty() ? "" : " A broker that does not speak TLS on that port looks the same.")));
            }
            // The cluster's own default counts too: brokers still starting (a k3s StatefulSet's pods start
            // together) must not leave a topic with fewer replicas for good, where one node's loss would
            // stop all writes. With too few brokers up, creation fails below and the stage's restart retries.
            int brokers = nodes.size();
            short replicas = (short) Math.min(3, Math.max(brokers, defaultReplicationFactor(admin, nodes, timeout)));
            String minInsync = Integer.toString(Math.min(2, replicas));
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Integer> partitionCounts = new HashMap<>();
            List<String> present = topics.stream().filter(existing::contains).toList();
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!present.isEmpty()) {
                whileUnknown(deadline, () -> admin.describeTopics(present).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS))
                        .forEach((topic, description) -> partitionCounts.put(topic, description.partitions().size()));
            }
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    Map<String, String> configs = new HashMap<>(configFor.apply(topic));
                    configs.put("min.insync.replicas", minInsync);
                    configs.put("max.message.bytes", Integer.toString(ImageRecord.MAX_RECORD_BYTES));
                    missing.add(new NewTopic(topic, partitions, replicas).configs(configs));
                } else if (!configFor.apply(topic).isEmpty()) {
                    Collection<AlterConfigOp> changes = configFor.apply(topic).entrySet().stream()
                            .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET)).toList();
                    whileUnknown(deadline, () -> admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), changes))
                            .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                }
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    partitionCounts.put(entry.getKey(), partitions);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof InvalidReplicationFactorException) {
                        throw new ConfigException("Cannot create topic " + entry.getKey() + " with " + replicas + " replicas on "
                                + cluster + ": only " + brokers + " brokers are up. Start the others "
                                + "(they may still be starting; a restarted stage tries again).");
                    }
                    if (e.getCause() instanceof TopicAuthorizationException) {
                        // The broker's answer does not name the topic; this one was refused.
                        throw new ConfigException(cluster.explain(new TopicAuthorizationException(Set.of(entry.getKey()))).orElseThrow());
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new ConfigException(cluster.explain(e).orElse("Cannot create topic " + entry.getKey() + " on "
                                + cluster + ": " + e.getCause().getMessage()));
                    }
                }
            }
            return partitionCounts;
        } catch (InterruptedException e) {
            throw interrupted(cluster, e);
        } catch (TimeoutException | ExecutionException e) {
            throw noAnswer(cluster, "list or describe its topics", timeout, e);
        }
    }

    private static IllegalStateException interrupted(ClusterAccess cluster, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("Interrupted while checking " + cluster.settingKey(), e);
    }

    private static ConfigException noAnswer(ClusterAccess cluster, String what, Duration timeout, Exception e) {
        return new ConfigException(cluster.explain(e).orElse("The Kafka cluster at " + cluster
                + " did not " + what + " within " + timeout.toSeconds() + " s: " + e.getMessage()));
    }

    private interface AdminCall<T> {
        T call() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /**
     * Runs {@code call} again while a broker answers that a topic does not exist, until {@code deadline}.
     * Replicas of a stage start together and check the same topics: a topic that one of them has
     * just created is listed by the controller before every broker's metadata holds it, and the
     * broker asked next may be one that does not know it yet. Reproduced by ClusterPreflightTest.
     */
    private static <T> T whileUnknown(long deadline, AdminCall<T> call) throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                return call.call();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100); // metadata reaches the brokers within milliseconds
            }
        }
    }

    /**
     * Fails, naming the feature and how to raise it, when {@code cluster} finalises a
     * {@code transaction.version} below {@code minimum}. The uplink's exactly-once copy relies on
     * version 2 (KIP-890): each transaction ends with a new producer epoch and the partition
     * leader checks every transactional write with the coordinator, so a write that a stalled
     * broker reads from its socket after the uplink gave up on it and started over is refused
     * instead of landing in the next transaction. Clusters formatted by Kafka 4.0 or later
     * finalise 2; older ones, once upgraded, need the feature raised by hand.
     */
    public static void requireTransactionVersion(ClusterAccess cluster, short minimum, Duration timeout) {
        Map<String, Object> config = cluster.clientConfig(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
        short finalised;
        try (Admin admin = Admin.create(config)) {
            var features = admin.describeFeatures().featureMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            var range = features.finalizedFeatures().get(TRANSACTION_VERSION);
            finalised = range == null ? 0 : range.maxVersionLevel();
        } catch (InterruptedException e) {
            throw interrupted(cluster, e);
        } catch (TimeoutException | ExecutionException e) {
            throw noAnswer(cluster, "describe its features", timeout, e);
        }
        if (finalised < minimum) {
            throw new ConfigException("The Kafka cluster at " + cluster + " finalises " + TRANSACTION_VERSION + "=" + finalised
                    + "; the uplink's exactly-once copy needs " + minimum + " (KIP-890: a write the uplink gave up on during a "
                    + "broker stall could otherwise land in its next transaction and put an image on the cloud topic twice). "
                    + "On Kafka 4.0 or later, raise it with: kafka-features.sh --bootstrap-server HOST:PORT upgrade --feature "
                    + TRANSACTION_VERSION + "=" + minimum + ", then start the uplink again.");
        }
    }

    private static final String TRANSACTION_VERSION = "transaction.version";
}
