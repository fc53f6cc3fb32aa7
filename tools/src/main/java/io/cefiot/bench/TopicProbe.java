package io.cefiot.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Reads how far a topic has got, from outside the processes measured: its end offsets, a
 * consumer group's committed offsets, its leaders and in-sync replicas, and its size on disk.
 * Every figure a benchmark reports comes from the clusters themselves, not from the code measured.
 */
final class TopicProbe implements AutoCloseable {

    private static final long TIMEOUT_MS = 10_000;

    private final Admin admin;

    TopicProbe(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS));
    }

    /** End offset of each partition (0 for a topic that does not exist yet). */
    Map<Integer, Long> endOffsets(String topic) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> request = described.get(topic).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return new TreeMap<>(ends.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset())));
        } catch (Exception e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return Map.of();
            }
            throw new IllegalStateException("Cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    long endOffsetSum(String topic) {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Offsets of {@code topic} that consumer group {@code group} has committed on this cluster, per partition. */
    Map<Integer, Long> committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return new TreeMap<>(offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset())));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read group " + group + "'s offsets: " + e.getMessage(), e);
        }
    }

    long committedSum(String group, String topic) {
        return committed(group, topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many consumers are members of {@code group} now (0 when it is unknown). */
    int groupMembers(String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(group).members().size();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Leader broker id of each partition (-1 while a partition has none). */
    Map<Integer, Integer> leaders(String topic) {
        return partitions(topic, p -> p.leader() == null ? -1 : p.leader().id());
    }

    /** True when every partition of the topic has all its replicas in sync. */
    boolean fullyInSync(String topic) {
        return partitions(topic, p -> p.isr().size() == p.replicas().size()).values().stream().allMatch(b -> b);
    }

    private <T> Map<Integer, T> partitions(String topic, Function<TopicPartitionInfo, T> value) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
            return new TreeMap<>(description.partitions().stream().collect(Collectors.toMap(TopicPartitionInfo::partition, value)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Bytes the topic's partitions take in the log directories of every broker of this cluster. */
    long bytesOnDisk(String topic) {
        try {
            Set<Integer> brokers = admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).stream()
                    .map(Node::id).collect(Collectors.toSet());
            long bytes = 0;
            for (var logDir : admin.describeLogDirs(brokers).allDescriptions().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).values()) {
                for (var description : logDir.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : description.replicaInfos().entrySet()) {
                        if (replica.getKey().topic().equals(topic)) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the size of " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
