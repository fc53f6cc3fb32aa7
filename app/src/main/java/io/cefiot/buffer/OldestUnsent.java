package io.cefiot.buffer;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.SpoolFileName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The capture time of the oldest image that has not reached the cloud: the oldest file still in
 * the spool, or the next unread record of an edge topic (its cefiot.capture-time header). Reads
 * at most one batch per lagging partition, so it runs every few seconds, not on every check.
 */
public final class OldestUnsent implements AutoCloseable {

    private final Path spool;
    private final KafkaConsumer<byte[], byte[]> consumer;

    public OldestUnsent(String edgeServers, Path spool) {
        this.spool = spool;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, edgeServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // The broker still returns one whole batch; this keeps it to one.
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1,
                ConsumerConfig.CLIENT_ID_CONFIG, "cefiot-oldest-unsent"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Epoch milliseconds of the oldest unsent capture, if anything is unsent. */
    public OptionalLong oldestCaptureMillis(Map<TopicPartition, Long> unread) {
        long oldest = Long.MAX_VALUE;
        try (Stream<Path> files = Files.list(spool)) {
            oldest = files.map(f -> SpoolFileName.parse(f.getFileName().toString()))
                    .flatMap(Optional::stream).mapToLong(SpoolFileName::captureMillis).min().orElse(oldest);
        } catch (IOException noSpool) {
            // No spool here (yet): only the topics count.
        }
        for (var entry : unread.entrySet()) {
            consumer.assign(List.of(entry.getKey()));
            consumer.seek(entry.getKey(), entry.getValue());
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
                oldest = Math.min(oldest, captureMillis(record));
                break;
            }
        }
        consumer.assign(List.of());
        return oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
    }

    private static long captureMillis(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(ImageHeaders.CAPTURE_TIME);
        if (header != null) {
            try {
                return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
            } catch (NumberFormatException notANumber) {
                // Fall back to the record's own time.
            }
        }
        return record.timestamp();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
