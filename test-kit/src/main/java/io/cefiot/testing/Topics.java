package io.cefiot.testing;

import io.cefiot.contract.ImageRecord;
import io.cefiot.clients.ClusterAccess;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static org.awaitility.Awaitility.await;

/** Plain Kafka clients for tests: put records on a topic, read what a stage wrote. */
public final class Topics {

    private Topics() {
    }

    public static void send(String bootstrapServers, String topic, String key, byte[] value, Map<String, String> headers) {
        send(bootstrapServers, topic, null, key, value, headers);
    }

    /** As {@link #send(String, String, String, byte[], Map)}, to a given partition (null: the key's). */
    public static void send(String bootstrapServers, String topic, Integer partition, String key, byte[] value,
                            Map<String, String> headers) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ImageRecord.MAX_RECORD_BYTES),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, key, value);
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    /** Reads a topic from the start until at least {@code expected} records arrived, then a little longer. */
    public static List<ConsumerRecord<String, byte[]>> readAtLeast(String bootstrapServers, String topic, int expected,
                                                                   Duration timeout) {
        return readUntil(bootstrapServers, topic, records -> records.size() >= expected, timeout);
    }

    /** Reads a topic from the start until what was read satisfies {@code enough}, then a little longer. */
    public static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrapServers, String topic,
                                                                 Predicate<List<ConsumerRecord<String, byte[]>>> enough,
                                                                 Duration timeout) {
        return readUntil(ClusterAccess.plaintext("test", bootstrapServers), topic, enough, timeout);
    }

    /** As {@link #readAtLeast(String, String, int, Duration)}, on a cluster that needs a login (a secured cloud's operator, say). */
    public static List<ConsumerRecord<String, byte[]>> readAtLeast(ClusterAccess cluster, String topic, int expected, Duration timeout) {
        return readUntil(cluster, topic, records -> records.size() >= expected, timeout);
    }

    public static List<ConsumerRecord<String, byte[]>> readUntil(ClusterAccess cluster, String topic,
                                                                 Predicate<List<ConsumerRecord<String, byte[]>>> enough,
                                                                 Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cluster.clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // As the stages read: records of aborted uplink transactions are not there.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ImageRecord.MAX_RECORD_BYTES)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(timeout).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return enough.test(records);
            });
            // One more poll catches records beyond the expected count, so tests can see extras.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
