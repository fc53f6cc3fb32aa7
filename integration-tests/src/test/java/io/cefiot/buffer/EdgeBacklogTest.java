package io.cefiot.buffer;

import io.cefiot.clients.ClusterAccess;
import io.cefiot.runtime.ClusterPreflight;
import io.cefiot.testing.KafkaClusterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The age alarm of the edge buffer ("images have waited at the edge longer than
 * edge.buffer.max-age-ms"), measured on a real broker: it must fire for an image older than the
 * limit that waits unread, and not for young images, nor for the first image of a partition
 * that arrives while the backlog is being measured (as at start-up, when topics fill).
 */
class EdgeBacklogTest {

    static final long WEEK_MILLIS = Duration.ofDays(7).toMillis();

    @RegisterExtension
    static KafkaClusterExtension edge = new KafkaClusterExtension(1);

    @Test
    void should_flag_an_image_older_than_the_limit_that_waits_unread() throws Exception {
        EdgeBacklog backlog = measureUnread("old.images.ingested", Instant.now().minus(Duration.ofDays(8)).toEpochMilli(),
                System.currentTimeMillis());
        assertThat(backlog.anyTooOld()).isTrue();
    }

    @Test
    void should_not_flag_young_images() throws Exception {
        EdgeBacklog backlog = measureUnread("young.images.ingested", Instant.now().minus(Duration.ofMinutes(2)).toEpochMilli(),
                System.currentTimeMillis());
        assertThat(backlog.images()).isEqualTo(2);
        assertThat(backlog.anyTooOld()).isFalse();
    }

    @Test
    void should_not_flag_an_image_that_reaches_an_empty_partition_while_the_backlog_is_measured() throws Exception {
        String topic = "first.images.ingested";
        createTopic(topic);
        // A young image lands right after the broker was asked for the first young record: that
        // answer ("none") says nothing about the image, which came later.
        try (Admin admin = new ForwardingAdmin(adminConfig()) {
            @Override
            public ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> specs, ListOffsetsOptions options) {
                ListOffsetsResult result = super.listOffsets(specs, options);
                if (specs.values().stream().anyMatch(spec -> spec instanceof OffsetSpec.TimestampSpec)) {
                    try {
                        result.all().get();
                        send(topic, System.currentTimeMillis());
                    } catch (InterruptedException | ExecutionException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return result;
            }
        }) {
            assertThat(EdgeBacklog.measure(admin, Map.of(topic, "cefiot-first-enrich"), WEEK_MILLIS).anyTooOld()).isFalse();
        }
    }

    /** The backlog of a new topic holding images made at {@code timestamps}, read by no one yet. */
    private static EdgeBacklog measureUnread(String topic, long... timestamps) throws Exception {
        createTopic(topic);
        for (long timestamp : timestamps) {
            send(topic, timestamp);
        }
        try (Admin admin = Admin.create(adminConfig())) {
            return EdgeBacklog.measure(admin, Map.of(topic, "cefiot-" + topic + "-reader"), WEEK_MILLIS);
        }
    }

    private static Map<String, Object> adminConfig() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, edge.bootstrapServers());
    }

    private static void createTopic(String topic) {
        ClusterPreflight.ensureTopics(ClusterAccess.plaintext("edge", edge.bootstrapServers()), List.of(topic), 1,
                Duration.ofSeconds(60), t -> Map.of());
    }

    /** One image record with the given creation time. */
    private static void send(String topic, long timestamp) throws InterruptedException, ExecutionException {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, edge.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, timestamp, "cam-1", new byte[64])).get();
        }
    }
}
