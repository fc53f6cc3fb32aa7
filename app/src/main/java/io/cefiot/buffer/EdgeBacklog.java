package io.cefiot.buffer;

import io.cefiot.site.Side;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What waits in the edge cluster for the cloud, measured through the Admin API: for each edge
 * topic and the edge-side group that reads it, the records between the group's committed offset
 * and the end of the topic. Each image is counted once, on the topic where it waits now.
 *
 * @param brokers    edge brokers that answered (described their log directories)
 * @param images     records not yet read past by their next edge reader (the uplink's included)
 * @param bytes      their bytes, from each partition's size and record count
 * @param unread     the next unread offset of each lagging partition
 * @param anyTooOld  whether a waiting record is older than the age limit asked for
 */
public record EdgeBacklog(int brokers, long images, long bytes, Map<TopicPartition, Long> unread, boolean anyTooOld) {

    private static final long TIMEOUT_SECONDS = 5;

    /** Each edge topic of the plan and the edge-side group that reads it, in flow order. */
    public static Map<String, String> edgeReaders(SitePlan plan) {
        Map<String, String> readers = new LinkedHashMap<>();
        for (Stage stage : plan.readersInFlowOrder()) {
            plan.stage(stage).input().filter(t -> t.cluster() == Side.EDGE).ifPresent(t -> readers.put(t.name(), plan.groupId(stage)));
        }
        return readers;
    }

    /**
     * Measures the backlog of {@code readers} (each edge topic and the group reading it),
     * flagging records older than {@code maxAgeMillis}.
     */
    public static EdgeBacklog measure(Admin admin, Map<String, String> readers, long maxAgeMillis) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream().map(n -> n.id()).toList();
        Map<TopicPartition, Long> sizes = new HashMap<>();
        // Each broker on its own: one that died or stalled and is not fenced yet (up to
        // broker.session.timeout.ms) must not fail the whole measure, or one broker down of three
        // would read as a cluster that does not answer. Every partition has a replica elsewhere.
        int answered = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (var broker : admin.describeLogDirs(brokers).descriptions().values()) {
            try {
                broker.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).values().forEach(dir ->
                        dir.replicaInfos().forEach((tp, info) -> sizes.merge(tp, info.size(), Math::max)));
                answered++;
            } catch (ExecutionException | TimeoutException e) {
                // counted as not answering
            }
        }
        if (answered == 0) {
            throw new TimeoutException("no edge broker described its log directories within " + TIMEOUT_SECONDS + " s");
        }
        long bytes = 0;
        long images = 0;
        boolean tooOld = false;
        Map<TopicPartition, Long> unread = new HashMap<>();
        for (Map.Entry<String, String> reader : readers.entrySet()) {
            String topic = reader.getKey();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> tooOldBefore = new HashMap<>();
            sizes.keySet().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> {
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
                tooOldBefore.put(tp, OffsetSpec.forTimestamp(System.currentTimeMillis() - maxAgeMillis));
            });
            var starts = admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            var ends = admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // Asked after the ends, so that every record counted was there when the broker looked for
            // the first young one: "none" then means all of them are old, not that they came later.
            var firstYoung = admin.listOffsets(tooOldBefore).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(reader.getValue())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (TopicPartition tp : latest.keySet()) {
                long start = starts.get(tp).offset();
                long end = ends.get(tp).offset();
                OffsetAndMetadata read = committed.get(tp);
                long from = Math.max(start, read == null ? start : read.offset());
                if (end > start && end > from) {
                    bytes += sizes.get(tp) * (end - from) / (end - start);
                    images += end - from;
                    unread.put(tp, from);
                    // The first record young enough is after the next unread one (or there is none): too old waits.
                    long young = firstYoung.get(tp).offset();
                    tooOld |= young < 0 || young > from;
                }
            }
        }
        return new EdgeBacklog(answered, images, bytes, Map.copyOf(unread), tooOld);
    }
}
