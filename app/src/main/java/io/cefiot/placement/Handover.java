package io.cefiot.placement;

import io.cefiot.clients.ClusterAccess;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The Kafka side of handing a topic from one reader to another on one cluster, using only
 * consumer-group state, so that the processes involved need no other channel:
 * <ul>
 *   <li>a stage that stops publishes the end offsets of its output topic as a handover
 *       (committed offsets of the site's handover group, tagged with the move);</li>
 *   <li>the stage that reads that topic waits for the handover, reads up to it, then stops;</li>
 *   <li>a stage that starts on a topic takes over the offsets its previous readers committed,
 *       so it neither skips nor repeats a record.</li>
 * </ul>
 * Waits have no deadline: a drain behind a cut link takes as long as the link is down. They
 * log their progress every ten seconds instead.
 */
public final class Handover implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Handover.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private final Admin admin;
    private final ClusterAccess cluster;
    private final String handoverGroup;

    public Handover(ClusterAccess cluster, String handoverGroup) {
        this.cluster = cluster;
        this.admin = Admin.create(cluster.clientConfig());
        this.handoverGroup = handoverGroup;
    }

    /** Whether any member of the group currently reads the topic (or the group is rebalancing onto it). */
    public boolean hasActiveReader(String group, String topic) throws InterruptedException {
        ConsumerGroupDescription description;
        try {
            description = call(() -> admin.describeConsumerGroups(List.of(group)).all()).get(group);
        } catch (GroupIdNotFoundException e) {
            return false;
        }
        return description.members().stream().anyMatch(member -> member.assignment().topicPartitions().stream()
                .anyMatch(tp -> tp.topic().equals(topic)));
    }

    /** Waits until the given group has no member reading the topic. */
    public void awaitNoActiveReader(String group, String topic) throws InterruptedException {
        await(() -> !uncheckedHasActiveReader(group, topic), () -> "a reader of " + topic + " in group " + group + " to stop");
    }

    /** Records, for the next reader of the topic, how far it must read: the topic's current end offsets. */
    public void publishHandover(String topic, String move) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        endOffsets(topic).forEach((tp, end) -> ends.put(tp, new OffsetAndMetadata(end, move)));
        call(() -> admin.alterConsumerGroupOffsets(handoverGroup, ends).all());
        LOG.info("Handover of {} published for move [{}]: {}", topic, move, total(ends.values()));
    }

    /**
     * Waits until the stage that fed the topic has published its handover for this move, then
     * until the group has committed at least that far, and then removes the handover.
     */
    public void awaitHandoverAndDrain(String group, String topic, String move) throws InterruptedException {
        await(() -> handover(topic, move) != null, () -> "the stage writing " + topic + " to stop and hand over");
        Map<TopicPartition, Long> targets = handover(topic, move);
        await(() -> caughtUp(group, targets), () -> "group " + group + " to read " + topic + " up to the handover "
                + targets.values().stream().mapToLong(Long::longValue).sum() + " (has " + committedTotal(group, topic) + ")");
        Set<TopicPartition> partitions = targets.keySet();
        call(() -> admin.deleteConsumerGroupOffsets(handoverGroup, partitions).all());
    }

    /**
     * Gives the group, for every partition of the topic, the furthest offset that it or any of
     * the previous readers committed. Taking the maximum makes this safe to repeat.
     */
    public void adoptOffsets(String topic, Collection<String> previousGroups, String group) throws InterruptedException {
        Map<TopicPartition, Long> best = new HashMap<>(committed(group, topic));
        Map<TopicPartition, Long> own = Map.copyOf(best);
        for (String previous : previousGroups) {
            committed(previous, topic).forEach((tp, offset) -> best.merge(tp, offset, Math::max));
        }
        Map<TopicPartition, OffsetAndMetadata> advance = best.entrySet().stream()
                .filter(e -> !e.getValue().equals(own.get(e.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        if (!advance.isEmpty()) {
            call(() -> admin.alterConsumerGroupOffsets(group, advance).all());
        }
        LOG.info("Group {} takes over {} from {} at offset total {}", group, topic, previousGroups, total(best));
    }

    public Map<TopicPartition, Long> committed(String group, String topic) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = committedWithMetadata(group, topic);
        Map<TopicPartition, Long> result = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                result.put(tp, om.offset());
            }
        });
        return result;
    }

    public Map<TopicPartition, Long> endOffsets(String topic) throws InterruptedException {
        var description = call(() -> admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        call(() -> admin.listOffsets(latest).all()).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private Map<TopicPartition, OffsetAndMetadata> committedWithMetadata(String group, String topic) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec())).partitionsToOffsetAndMetadata(group).get();
            Map<TopicPartition, OffsetAndMetadata> forTopic = new HashMap<>();
            all.forEach((tp, om) -> {
                if (tp.topic().equals(topic)) {
                    forTopic.put(tp, om);
                }
            });
            return forTopic;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw new IllegalStateException("Could not read the offsets of group " + group + ": " + e.getCause().getMessage(), e);
        }
    }

    private Map<TopicPartition, Long> handover(String topic, String move) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = committedWithMetadata(handoverGroup, topic);
            if (offsets.isEmpty() || !offsets.values().stream().allMatch(om -> om != null && move.equals(om.metadata()))) {
                return null;
            }
            Map<TopicPartition, Long> targets = new HashMap<>();
            offsets.forEach((tp, om) -> targets.put(tp, om.offset()));
            return targets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Whether the group has read every record before the targets. Its committed offset can stay
     * below a target that only control records follow (the commit markers of the uplink's
     * transactions), so such a gap is read to see whether any record is in it.
     */
    private boolean caughtUp(String group, Map<TopicPartition, Long> targets) {
        try {
            Map<TopicPartition, Long> committed = committed(group, targets.keySet().iterator().next().topic());
            Map<TopicPartition, Long> gaps = new HashMap<>();
            targets.forEach((tp, target) -> {
                long from = committed.getOrDefault(tp, 0L);
                if (from < target) {
                    gaps.put(tp, from);
                }
            });
            return gaps.isEmpty() || onlyControlRecords(gaps, targets);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean onlyControlRecords(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(cluster.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            probe.assign(from.keySet());
            from.forEach(probe::seek);
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(5));
            while (Instant.now().isBefore(giveUp)) {
                if (!probe.poll(POLL).isEmpty()) {
                    return false;
                }
                if (from.keySet().stream().allMatch(tp -> probe.position(tp) >= to.get(tp))) {
                    return true;
                }
            }
            return false;
        }
    }

    private long committedTotal(String group, String topic) {
        try {
            return committed(group, topic).values().stream().mapToLong(Long::longValue).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private boolean uncheckedHasActiveReader(String group, String topic) {
        try {
            return hasActiveReader(group, topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void await(Supplier<Boolean> condition, Supplier<String> waitingFor) throws InterruptedException {
        Instant reportAt = Instant.now().plus(REPORT_EVERY);
        while (!condition.get()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("Stopped while waiting for " + waitingFor.get());
            }
            if (Instant.now().isAfter(reportAt)) {
                LOG.info("Still waiting for {}", waitingFor.get());
                reportAt = Instant.now().plus(REPORT_EVERY);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String total(Collection<OffsetAndMetadata> offsets) {
        return "offset total " + offsets.stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    /**
     * Admin calls retry transient failures until they succeed: a broker may be restarting or
     * the link may be down. Other failures are thrown as they are.
     */
    private static <T> T call(Supplier<KafkaFuture<T>> request) throws InterruptedException {
        Instant reportAt = Instant.now().plus(REPORT_EVERY);
        while (true) {
            try {
                return request.get().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
                if (Instant.now().isAfter(reportAt)) {
                    LOG.warn("Kafka request failed, retrying: {}", e.getCause().toString());
                    reportAt = Instant.now().plus(REPORT_EVERY);
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
