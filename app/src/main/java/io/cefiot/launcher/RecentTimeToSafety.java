package io.cefiot.launcher;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.ImageRecord;
import io.cefiot.clients.ClusterAccess;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Time to safety read back from a cluster, for {@code ./cefiot status}, which asks the clusters
 * and no stage process: for the last records of a topic, the record's timestamp (when its
 * producer sent it: ingest into the edge, the uplink into its cloud transaction) minus the
 * image's capture time. The stages' own histograms ({@code cefiot_time_to_safety_seconds}) time
 * the acknowledgement and the commit themselves, a round trip later.
 */
final class RecentTimeToSafety {

    /** p50 and p99 in seconds over the records read, and how many. */
    record Figures(double p50, double p99, int images) {

        String describe() {
            return String.format(Locale.ROOT, "p50 %.2f s, p99 %.2f s (last %d images)", p50, p99, images);
        }
    }

    private RecentTimeToSafety() {
    }

    /** Reads up to {@code perPartition} of the newest committed records of each partition; empty if there are none. */
    static Optional<Figures> of(ClusterAccess cluster, String topic, int perPartition) {
        List<Long> millis = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cluster.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ImageRecord.MAX_RECORD_BYTES,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, Duration.ofSeconds(5));
            partitions.forEach(p -> consumer.seek(p, Math.max(begins.get(p), ends.get(p) - perPartition)));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header capture = record.headers().lastHeader(ImageHeaders.CAPTURE_TIME);
                    if (capture != null) {
                        try {
                            millis.add(Math.max(0, record.timestamp()
                                    - Long.parseLong(new String(capture.value(), StandardCharsets.UTF_8).trim())));
                        } catch (NumberFormatException notAnImage) {
                            // not a contract record: no capture time to measure from
                        }
                    }
                }
            }
        }
        if (millis.isEmpty()) {
            return Optional.empty();
        }
        millis.sort(null);
        return Optional.of(new Figures(percentile(millis, 0.50) / 1000.0, percentile(millis, 0.99) / 1000.0, millis.size()));
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
