package io.cefiot.it;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.site.Setting;
import io.cefiot.testing.KafkaClusterExtension;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cloud Kafka node stalled (SIGSTOP) while the uplink has transactions open, for longer
 * than the uplink's request and delivery timeouts, then resumed (SIGCONT): the uplink's
 * requests sit unread in the stalled node's sockets while the uplink gives up on them and
 * starts over, and the node reads them when it resumes. Two uplink processes share the edge
 * partitions, records flow the whole time, and the cloud topic, read as the archive reads it,
 * must hold every edge record once, in per-camera order, and copying must go on after each stall.
 */
class UplinkStallTest {

    static final int STALLS = 3;
    static final Duration STALL = Duration.ofSeconds(25);

    @RegisterExtension
    static KafkaClusterExtension edge = new KafkaClusterExtension(3);

    @TempDir
    Path dir;

    @Test
    void should_copy_every_record_once_and_in_order_when_the_cloud_node_stalls_mid_transaction() throws Exception {
        KafkaNodeConfig cloudNode = KafkaNodeConfig.onFreePorts(1, dir.resolve("cloud-kafka"));
        Path nodeProperties = cloudNode.prepare(0, Uuid.randomUuid().toString(), Map.of());
        Process cloud = LauncherTest.start(Files.createDirectories(dir.resolve("cloud-node")), "broker", "--properties",
                nodeProperties.toString());
        List<Process> uplinks = new ArrayList<>();
        AtomicBoolean feeding = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        String topic = "stall.images.enriched";
        Thread feeder = new Thread(() -> feed(topic, feeding, sent), "stall-test-feeder");
        try {
            EmbeddedKafkaCluster.awaitBrokers(cloudNode.bootstrapServers(), 1, Duration.ofMinutes(2));
            TestSite site = new TestSite(dir).edge(edge.bootstrapServers()).cloud(cloudNode.bootstrapServers())
                    .set(Setting.SITE_ID, "stall");
            Path config = site.write(dir.resolve("site.properties"));
            for (int n = 0; n < 2; n++) {
                uplinks.add(LauncherTest.start(Files.createDirectories(dir.resolve("uplink-" + n)), "run", "uplink",
                        "--config", config.toString()));
            }
            feeder.start();
            for (int stall = 1; stall <= STALLS; stall++) {
                long before = committedOnCloud(cloudNode, topic);
                await("copying before stall " + stall).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> committedOnCloud(cloudNode, topic) > before + 50);
                signal(cloud, "STOP");
                try {
                    TimeUnit.MILLISECONDS.sleep(STALL.toMillis()); // the fault itself: a stall of a fixed length
                } finally {
                    signal(cloud, "CONT");
                }
            }
            long afterLast = committedOnCloud(cloudNode, topic);
            await("copying after the last stall").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> committedOnCloud(cloudNode, topic) > afterLast + 50);
        } finally {
            feeding.set(false);
            feeder.join(10_000);
        }
        try {
            List<ConsumerRecord<String, byte[]>> copied = Topics.readUntil(cloudNode.bootstrapServers(), topic,
                    records -> records.size() >= sent.get(), Duration.ofMinutes(3));
            List<Integer> sequences = copied.stream().map(r -> Integer.parseInt(Topics.header(r, ImageHeaders.SEQUENCE))).toList();
            Map<Integer, Long> copies = sequences.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            System.out.printf("uplink stall test: %d sent, %d on the cloud topic, %d distinct, %d copied more than once%n",
                    sent.get(), copied.size(), copies.size(), copies.values().stream().filter(c -> c > 1).count());
            assertThat(copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList())
                    .as("edge records on the cloud topic more than once").isEmpty();
            assertThat(copies).as("every edge record on the cloud topic").hasSize(sent.get());
            Map<String, List<Integer>> perCamera = new HashMap<>();
            copied.forEach(r -> perCamera.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(Integer.parseInt(Topics.header(r, ImageHeaders.SEQUENCE))));
            perCamera.forEach((camera, order) -> assertThat(order).as(camera + " order on the cloud topic").isSorted());
        } finally {
            uplinks.forEach(Process::destroyForcibly);
            cloud.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** About 40 records a second over 4 cameras, each camera's sequence rising, until told to stop. */
    private static void feed(String topic, AtomicBoolean feeding, AtomicInteger sent) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, edge.bootstrapServers(),
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
                TimeUnit.MILLISECONDS.sleep(25); // the camera's pace, not a wait for an outcome
            }
        } catch (Exception e) {
            throw new IllegalStateException("feeding the edge topic failed", e);
        }
    }

    /** How many records the cloud topic holds for read_committed readers (its partitions' last stable offsets). */
    private static long committedOnCloud(KafkaNodeConfig cloud, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cloud.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (Exception notYet) {
            return 0; // the topic is not there yet, or the node is still stalled
        }
    }

    private static void signal(Process process, String signal) throws Exception {
        int status = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        assertThat(status).as("kill -" + signal).isZero();
    }
}
