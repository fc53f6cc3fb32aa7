package io.cefiot.uplink;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.ImageRecord;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.metrics.StageCounters;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The uplink's exactly-once copy from the edge cluster to the cloud cluster, the way KIP-618
 * does it for MirrorMaker 2: the records of one edge partition and the edge offset they were
 * read up to are written to the cloud in one Kafka transaction, and the uplink resumes from
 * the offsets stored there. A cloud reader with {@code isolation.level=read_committed} sees
 * each edge record once, whatever the uplink or the link did in between.
 *
 * <p>Each edge partition has its own transactional producer ({@code transactional.id} =
 * {@code cefiot-SITE-uplink-TOPIC-PARTITION}). Whoever is assigned a partition first
 * initialises that producer, which fences any earlier owner (a standby that took over, or a
 * zombie that lost the partition) and settles its open transaction; only then does it read
 * where the partition was committed and seek there. Two uplink replicas can therefore share
 * the partitions of one consumer group, and a killed one is replaced without an orchestrator.
 *
 * <p>The same offsets are then committed to the edge group too, so that the edge cluster shows
 * the uplink's progress (lag, placement handovers). The resume point is the larger of the two:
 * the cloud's after a crash between the two commits, the edge's after a handover gave the
 * group a head start on a topic. Each offset committed to the cloud names the edge topic's id;
 * a partition whose edge log was replaced (the edge reset, the topic made again) is copied
 * anew from its start, with an alarm.
 *
 * <p>Used as the route's bean ({@code uplinkTransfer.send}, in batching mode) and as the Kafka
 * component's subscribe adapter, which is how it learns of partition assignments.
 */
public final class UplinkTransfer implements SubscribeAdapter, AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(UplinkTransfer.class);
    /**
     * The longest pause between two tries of a failing partition. Short, so that copies start again
     * within about a second of the link or the cloud broker coming back: a try costs one request.
     */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    /**
     * How long a connection to the cloud may take to set up before the client drops it and dials
     * again. Kafka's default grows to 30 s, so after a link that dropped packets silently came back,
     * the uplink could wait that long for its next try. TCP, TLS and the SCRAM login fit in 3 s on
     * links up to about 700 ms round trip.
     */
    private static final int CONNECT_TIMEOUT_MS = 3000;
    /** How the metadata of an offset committed to the cloud names the edge topic it counts records of. */
    private static final String EDGE_TOPIC_ID = "edge-topic-id=";
    /**
     * How long an owned partition may copy nothing while records wait for it before the uplink
     * raises an alarm: past the longest retry of a healthy uplink (a 10 s transaction timeout,
     * then a 1 s pause), short enough that an operator hears of a stuck uplink within a minute.
     */
    static final Duration STALL_ALARM_AFTER = Duration.ofSeconds(30);

    /** What the uplink knows about one edge partition it is assigned. */
    private static final class PartitionState {
        KafkaProducer<String, byte[]> producer;
        long next = -1;
        /** The id of the edge topic this partition is read from, recorded with each offset committed to the cloud. */
        String edgeTopicId;

        boolean ready() {
            return producer != null && next >= 0;
        }
    }

    private final String groupId;
    private final String inputTopic;
    private final String outputTopic;
    private final ClusterAccess edge;
    private final ClusterAccess cloud;
    private final StageCounters counters;
    private final Map<Integer, PartitionState> partitions = new HashMap<>();
    private Admin cloudAdmin;
    private Admin edgeAdmin;
    private Consumer<?, ?> consumer;
    private int failuresInARow;
    /** 1 while the last operation on the cloud cluster succeeded, 0 after one failed (cefiot.link.up). */
    private final AtomicInteger linkUp = new AtomicInteger(1);
    private final UplinkStallWatch watch;

    public UplinkTransfer(String groupId, String inputTopic, String outputTopic, ClusterAccess edge, ClusterAccess cloud,
                          StageCounters counters) {
        this(groupId, inputTopic, outputTopic, edge, cloud, counters, STALL_ALARM_AFTER);
    }

    /** As above, with the time a partition may copy nothing, while records wait, before an alarm. */
    public UplinkTransfer(String groupId, String inputTopic, String outputTopic, ClusterAccess edge, ClusterAccess cloud,
                          StageCounters counters, Duration stallAlarmAfter) {
        this.groupId = groupId;
        this.watch = new UplinkStallWatch(inputTopic, edge, stallAlarmAfter, counters);
        this.edge = edge;
        this.inputTopic = inputTopic;
        this.outputTopic = outputTopic;
        this.cloud = cloud;
        this.counters = counters;
        counters.gauge("cefiot.link.up", "1 while the uplink's last operation on the cloud cluster succeeded, 0 after one failed",
                linkUp, AtomicInteger::get);
    }

    @Override
    public void subscribe(Consumer<?, ?> kafkaConsumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        boolean isUplink = !topicInfo.isPattern() && topicInfo.getTopics().contains(inputTopic)
                && groupId.equals(kafkaConsumer.groupMetadata().groupId());
        if (!isUplink) {
            // Another stage's consumer in the same Camel context: Camel's own subscription.
            if (topicInfo.isPattern()) {
                kafkaConsumer.subscribe(topicInfo.getPattern(), camelListener);
            } else {
                kafkaConsumer.subscribe(topicInfo.getTopics(), camelListener);
            }
            return;
        }
        synchronized (this) {
            consumer = kafkaConsumer;
        }
        watch.start();
        kafkaConsumer.subscribe(topicInfo.getTopics(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                camelListener.onPartitionsRevoked(revoked);
                release(revoked);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> lost) {
                camelListener.onPartitionsLost(lost);
                release(lost);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                camelListener.onPartitionsAssigned(assigned);
                for (TopicPartition partition : assigned) {
                    takeOver(partition.partition());
                }
                LOG.info("Uplink assigned {} partitions of {}: {}", assigned.size(), inputTopic,
                        assigned.stream().map(TopicPartition::partition).sorted().toList());
            }
        });
    }

    /**
     * Copies one batch (the records of one or more edge partitions, in offset order per
     * partition). A partition whose copy fails is sent back to its last committed offset and
     * retried after a pause; the others go on.
     */
    public synchronized void send(List<Exchange> batch) {
        watch.batchArrived();
        rescueStalledPartitions();
        Map<Integer, List<Exchange>> byPartition = new LinkedHashMap<>();
        for (Exchange record : batch) {
            byPartition.computeIfAbsent(record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class),
                    p -> new ArrayList<>()).add(record);
        }
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        boolean failed = false;
        // Every partition's transaction is opened and its records sent before any is committed,
        // so the records of all partitions cross the link together and the commits' round trips
        // do not hold the data back.
        Map<Integer, List<Exchange>> open = new LinkedHashMap<>();
        Set<Integer> rewind = new HashSet<>();
        Set<Integer> assigned = assignedPartitions();
        for (var entry : byPartition.entrySet()) {
            int partition = entry.getKey();
            if (!assigned.contains(partition)) {
                // Camel's batching queue outlives a rebalance: these were fetched before the partition
                // moved to another replica, which copies it from what the cloud has. Taking it over
                // here would fence that owner.
                LOG.debug("Uplink drops {} records of {} partition {}: the partition moved to another replica",
                        entry.getValue().size(), inputTopic, partition);
                continue;
            }
            PartitionState state = partitions.get(partition);
            if (state == null || !state.ready()) {
                state = takeOver(partition);
            }
            if (!state.ready()) {
                failed = true;
                continue;
            }
            List<Exchange> records = continuing(state.next, entry.getValue());
            if (records.isEmpty()) {
                long next = state.next;
                OptionalLong ahead = entry.getValue().stream().mapToLong(UplinkTransfer::offset).filter(o -> o > next).min();
                if (ahead.isEmpty()) {
                    continue; // every record was copied before: the queue held them across a rebalance
                }
                if (!skipRecordsDeletedAtTheEdge(partition, state, ahead.getAsLong())) {
                    // Records between what the cloud has and this batch were not fetched (a seek raced
                    // a poll): read them again rather than leave a gap.
                    consumer.seek(new TopicPartition(inputTopic, partition), state.next);
                    continue;
                }
                records = continuing(state.next, entry.getValue());
            }
            long last = offset(records.get(records.size() - 1));
            if (entry.getValue().stream().anyMatch(r -> offset(r) > last)) {
                // A gap inside the batch (a position reset between two polls): copy up to it, then read
                // again from there, so that the gap meets the head-of-batch check above.
                rewind.add(partition);
            }
            try {
                sendInTransaction(state, partition, records);
                open.put(partition, records);
            } catch (KafkaException e) {
                failed = true;
                failPartition(partition, state, e);
            }
        }
        for (var entry : open.entrySet()) {
            int partition = entry.getKey();
            List<Exchange> records = entry.getValue();
            PartitionState state = partitions.get(partition);
            try {
                commitTransaction(state, partition, offset(records.get(records.size() - 1)));
                state.next = offset(records.get(records.size() - 1)) + 1;
                watch.copied(partition, state.next);
                committed.put(new TopicPartition(inputTopic, partition), new OffsetAndMetadata(state.next));
                if (rewind.contains(partition)) {
                    consumer.seek(new TopicPartition(inputTopic, partition), state.next);
                }
                counters.add("uplink", records.size(), records.stream().mapToLong(UplinkTransfer::valueBytes).sum());
                records.forEach(r -> counters.reachedSafety("uplink", r.getMessage().getHeader(ImageHeaders.CAPTURE_TIME, String.class)));
            } catch (KafkaException e) {
                failed = true;
                failPartition(partition, state, e);
            }
        }
        commitToEdge(committed);
        failuresInARow = failed ? failuresInARow + 1 : 0;
        linkUp.set(failed ? 0 : 1);
        if (failed) {
            pauseBeforeRetry();
        }
    }

    /**
     * Takes over again each owned partition the stall watch found copying nothing, with no error
     * to show for it, while records wait: whatever state it was stuck in, it starts again from
     * what the cloud committed. Done for every owned partition, not only those in the batch, as
     * a partition whose position went astray has no records in any batch.
     */
    private void rescueStalledPartitions() {
        for (int partition : assignedPartitions()) {
            PartitionState state = partitions.get(partition);
            if (state != null && watch.takeRescue(partition)) {
                LOG.warn("Uplink takes {} partition {} over again: it copied nothing although records wait", inputTopic, partition);
                abandon(partition, state);
                takeOver(partition);
            }
        }
    }

    /**
     * The records that carry a partition's copy on from {@code next}: offsets next, next + 1, ... as
     * they stand in the batch. Records copied before (fetched again after a rebalance) are left out,
     * and so is everything after a gap.
     */
    private static List<Exchange> continuing(long next, List<Exchange> records) {
        List<Exchange> run = new ArrayList<>();
        long expected = next;
        for (Exchange record : records) {
            if (offset(record) == expected) {
                run.add(record);
                expected++;
            }
        }
        return run;
    }

    private Set<Integer> assignedPartitions() {
        Set<Integer> assigned = new HashSet<>();
        for (TopicPartition partition : consumer.assignment()) {
            if (partition.topic().equals(inputTopic)) {
                assigned.add(partition.partition());
            }
        }
        return assigned;
    }

    /**
     * When the edge topic no longer holds the records the uplink needs next (its retention
     * deleted them: the edge buffer was full or too old), says so loudly, counts them as dropped
     * and goes on from the oldest record there is. Returns whether the batch can go on.
     */
    private boolean skipRecordsDeletedAtTheEdge(int partition, PartitionState state, long firstInBatch) {
        TopicPartition edgePartition = new TopicPartition(inputTopic, partition);
        long oldest = consumer.beginningOffsets(Set.of(edgePartition), Duration.ofSeconds(10)).get(edgePartition);
        if (state.next >= oldest) {
            return false;
        }
        long dropped = oldest - state.next;
        LOG.error("ALARM: {} records of {} partition {} (offsets {} to {}) were deleted at the edge by its retention before "
                + "the uplink copied them: the edge buffer was full or too old. They are lost; the uplink goes on from offset {}.",
                dropped, inputTopic, partition, state.next, oldest - 1, oldest);
        counters.dropped("uplink", dropped);
        state.next = oldest;
        return firstInBatch == oldest;
    }

    /** Opens the partition's transaction on the cloud and sends the records into it (not yet committed). */
    private void sendInTransaction(PartitionState state, int partition, List<Exchange> records) {
        KafkaProducer<String, byte[]> producer = state.producer;
        producer.beginTransaction();
        for (Exchange record : records) {
            ProducerRecord<String, byte[]> copy = new ProducerRecord<>(outputTopic, partition,
                    record.getMessage().getHeader(KafkaConstants.KEY, String.class), record.getMessage().getBody(byte[].class));
            record.getMessage().getHeaders().forEach((name, header) -> {
                if (name.startsWith(ImageHeaders.PREFIX) && header != null) {
                    copy.headers().add(name, header.toString().getBytes(StandardCharsets.UTF_8));
                }
            });
            producer.send(copy);
        }
    }

    /** Adds the edge offset the copies were read up to, and commits: records and offset land in the cloud together, or neither does. */
    private void commitTransaction(PartitionState state, int partition, long lastOffset) {
        state.producer.sendOffsetsToTransaction(Map.of(new TopicPartition(inputTopic, partition),
                new OffsetAndMetadata(lastOffset + 1, EDGE_TOPIC_ID + state.edgeTopicId)), new ConsumerGroupMetadata(groupId));
        state.producer.commitTransaction();
    }

    private void failPartition(int partition, PartitionState state, KafkaException e) {
        watch.failed(partition, e.toString());
        reportCloudFailure("Uplink of " + inputTopic + " partition " + partition + " failed at offset " + state.next
                + "; it will resume from what the cloud committed", e);
        abandon(partition, state);
    }

    /**
     * A failed operation on the cloud: an ERROR saying what to fix when the cloud refused this
     * site (a login or an ACL), else a WARN (a cut link or a failing broker, which retries ride out).
     */
    private void reportCloudFailure(String what, Exception e) {
        cloud.explain(e).ifPresentOrElse(
                refused -> LOG.error("{}: the cloud refuses this site; the images wait at the edge and the uplink retries. {}", what, refused),
                () -> LOG.warn("{} (cloud at {}): {}", what, cloud, e.toString()));
    }

    private static long valueBytes(Exchange record) {
        byte[] value = record.getMessage().getBody(byte[].class);
        return value == null ? 0 : value.length;
    }

    /**
     * Becomes the owner of a partition: initialising its transactional producer fences any
     * previous owner and completes or aborts its open transaction; then the resume point is
     * read and the consumer sent there. If the cloud cannot be reached, the partition stays
     * not ready and its records are fetched again until it can.
     */
    private synchronized PartitionState takeOver(int partition) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        TopicPartition edgePartition = new TopicPartition(inputTopic, partition);
        try {
            if (state.producer == null) {
                state.producer = newProducer(partition);
                state.producer.initTransactions();
            }
            state.edgeTopicId = edgeTopicId();
            Optional<OffsetAndMetadata> cloud = cloudCommitted(edgePartition);
            OffsetAndMetadata edge = consumer.committed(Set.of(edgePartition), Duration.ofSeconds(10)).get(edgePartition);
            long resume;
            if (cloud.isPresent() && copiedFromAnotherEdgeLog(edgePartition, cloud.get(), state.edgeTopicId)) {
                // A new edge log under an old name: the cloud's offset counts records of the old one.
                // Everything in the new log is new to the cloud.
                resume = edge == null ? 0 : edge.offset();
                counters.edgeReset("uplink");
            } else {
                // Never read before: from offset 0, so that records the edge deleted before the uplink
                // ever ran are found missing and reported like any other gap.
                resume = Math.max(0, Math.max(cloud.map(OffsetAndMetadata::offset).orElse(-1L), edge == null ? -1 : edge.offset()));
            }
            consumer.seek(edgePartition, resume);
            state.next = resume;
            watch.resumed(partition, resume);
            LOG.info("Uplink resumes {} partition {} at offset {} (cloud has {}, edge group has {})", inputTopic, partition, resume,
                    cloud.map(o -> Long.toString(o.offset())).orElse("none"), edge == null ? "none" : edge.offset());
        } catch (KafkaException | InterruptedException | ExecutionException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            reportCloudFailure("Uplink cannot take over " + inputTopic + " partition " + partition + " yet", e);
            watch.failed(partition, e.toString());
            abandon(partition, state);
        }
        return state;
    }

    /**
     * Whether the cloud's offset for a partition was committed for another edge log than the one
     * there now: the edge was wiped and provisioned again ({@code ansible/reset.yml}), or the topic
     * deleted and made again. Each commit names the edge topic's id (the offset's metadata); an
     * offset committed without one is from another log if it is past the edge log's end, which
     * the log it was read from cannot be.
     */
    private boolean copiedFromAnotherEdgeLog(TopicPartition edgePartition, OffsetAndMetadata cloud, String edgeTopicId) {
        String copiedFrom = cloud.metadata() == null || !cloud.metadata().startsWith(EDGE_TOPIC_ID) ? ""
                : cloud.metadata().substring(EDGE_TOPIC_ID.length());
        long edgeEnd = consumer.endOffsets(Set.of(edgePartition), Duration.ofSeconds(10)).get(edgePartition);
        boolean replaced = copiedFrom.isEmpty() ? cloud.offset() > edgeEnd : !copiedFrom.equals(edgeTopicId);
        if (replaced) {
            LOG.error("ALARM: edge {} partition {} is not the log the cloud copied up to offset {} from ({}; the edge log now ends "
                    + "at {}): the edge was reset or the topic made again. The uplink copies the new log from its start; the "
                    + "cloud keeps the copies it has, and the new ones follow them on its partition.", inputTopic,
                    edgePartition.partition(), cloud.offset(), copiedFrom.isEmpty() ? "no edge topic id recorded"
                            : "edge topic id " + copiedFrom + ", now " + edgeTopicId, edgeEnd);
        }
        return replaced;
    }

    /** The edge topic's id, which a deleted and re-made topic (or a new cluster) does not share with the old one. */
    private String edgeTopicId() throws InterruptedException, ExecutionException, TimeoutException {
        if (edgeAdmin == null) {
            edgeAdmin = Admin.create(edge.clientConfig(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000)));
        }
        return edgeAdmin.describeTopics(List.of(inputTopic)).allTopicNames().get(15, TimeUnit.SECONDS).get(inputTopic)
                .topicId().toString();
    }

    private Optional<OffsetAndMetadata> cloudCommitted(TopicPartition partition)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = cloudAdmin()
                .listConsumerGroupOffsets(Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(partition))),
                        new ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata(groupId).get(15, TimeUnit.SECONDS);
        return Optional.ofNullable(offsets.get(partition));
    }

    /** Drops the producer (a new one fences this one's leftovers) and rewinds the consumer. */
    private void abandon(int partition, PartitionState state) {
        if (state.producer != null) {
            state.producer.close(Duration.ZERO);
            state.producer = null;
        }
        if (state.next >= 0 && consumer != null) {
            consumer.seek(new TopicPartition(inputTopic, partition), state.next);
        }
        state.next = -1;
    }

    private void commitToEdge(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
        } catch (KafkaException e) {
            // The cloud holds the offsets that count; the edge copy catches up with the next batch.
            LOG.debug("Edge commit of uplink offsets failed: {}", e.toString());
        }
    }

    private synchronized void release(Collection<TopicPartition> lost) {
        for (TopicPartition partition : lost) {
            watch.released(partition.partition());
            PartitionState state = partitions.remove(partition.partition());
            if (state != null && state.producer != null) {
                state.producer.close(Duration.ofSeconds(5));
            }
        }
    }

    private void pauseBeforeRetry() {
        long millis = Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(failuresInARow, 6));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private KafkaProducer<String, byte[]> newProducer(int partition) {
        Map<String, Object> config = new HashMap<>();
        // GROUP-TOPIC-PARTITION: the cloud grants a site the prefix "cefiot-SITE-uplink-SITE." (SiteAccess).
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + "-" + inputTopic + "-" + partition);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ImageRecord.MAX_RECORD_BYTES);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * ImageRecord.MAX_RECORD_BYTES);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Fail a stalled transaction within seconds, so a cut link shows as retries, not a hang.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        config.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, CONNECT_TIMEOUT_MS);
        config.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, CONNECT_TIMEOUT_MS);
        return new KafkaProducer<>(cloud.clientConfig(config), new StringSerializer(), new ByteArraySerializer());
    }

    private Admin cloudAdmin() {
        if (cloudAdmin == null) {
            cloudAdmin = Admin.create(cloud.clientConfig(Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                    AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, CONNECT_TIMEOUT_MS,
                    AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, CONNECT_TIMEOUT_MS)));
        }
        return cloudAdmin;
    }

    private static long offset(Exchange record) {
        return record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
    }

    @Override
    public synchronized void close() {
        watch.close();
        partitions.values().forEach(state -> {
            if (state.producer != null) {
                state.producer.close(Duration.ofSeconds(5));
            }
        });
        partitions.clear();
        if (cloudAdmin != null) {
            cloudAdmin.close(Duration.ofSeconds(5));
        }
        if (edgeAdmin != null) {
            edgeAdmin.close(Duration.ofSeconds(5));
        }
    }
}
