package io.cefiot.it;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.testing.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four cameras' records flowing onto an edge topic at a camera's pace (about 40 a second), on
 * a thread of their own, while a test breaks the uplink; then the check that the cloud topic
 * holds each of them once, in each camera's order.
 */
final class CameraFeed implements AutoCloseable {

    private final String edgeServers;
    private final String topic;
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;

    CameraFeed(String edgeServers, String topic) {
        this.edgeServers = edgeServers;
        this.topic = topic;
        this.thread = new Thread(this::feed, "camera-feed-" + topic);
        thread.start();
    }

    int sent() {
        return sent.get();
    }

    /** Stops feeding; {@link #sent()} is final afterwards. */
    @Override
    public void close() throws InterruptedException {
        feeding.set(false);
        thread.join(10_000);
    }

    private void feed() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, edgeServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; feeding.get(); i++) {
                String camera = "cam-" + (i % 4);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, camera, new byte[2048]);
                record.headers().add(ImageHeaders.CAMERA, camera.getBytes(StandardCharsets.UTF_8));
                record.headers().add(ImageHeaders.SEQUENCE, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
                sent.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(25); // the cameras' pace, not a wait for an outcome
            }
        } catch (Exception e) {
            throw new IllegalStateException("feeding " + topic + " failed", e);
        }
    }

    /** How many records the cloud topic holds for read_committed readers (its partitions' last stable offsets). */
    static long committedOn(String cloudServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cloudServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (Exception notYet) {
            return 0; // the topic is not there yet, or the node is stalled
        }
    }

    /** Reads the cloud topic back and checks it holds every record fed, each once, in each camera's order. */
    void assertCopiedOnceInOrder(String cloudServers, String label) {
        List<ConsumerRecord<String, byte[]>> copied = Topics.readUntil(cloudServers, topic,
                records -> records.size() >= sent.get(), Duration.ofMinutes(3));
        List<Integer> sequences = copied.stream().map(r -> Integer.parseInt(Topics.header(r, ImageHeaders.SEQUENCE))).toList();
        Map<Integer, Long> copies = sequences.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        System.out.printf("%s: %d sent, %d on the cloud topic, %d distinct, %d copied more than once%n", label,
                sent.get(), copied.size(), copies.size(), copies.values().stream().filter(c -> c > 1).count());
        assertThat(copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList())
                .as("edge records on the cloud topic more than once").isEmpty();
        assertThat(copies).as("every edge record on the cloud topic").hasSize(sent.get());
        Map<String, List<Integer>> perCamera = new HashMap<>();
        copied.forEach(r -> perCamera.computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(Integer.parseInt(Topics.header(r, ImageHeaders.SEQUENCE))));
        perCamera.forEach((camera, order) -> assertThat(order).as(camera + " order on the cloud topic").isSorted());
    }
}
