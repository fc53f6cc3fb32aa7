package io.cefiot.uplink;

import io.cefiot.clients.ClusterAccess;
import io.cefiot.runtime.ClusterPreflight;
import io.cefiot.metrics.StageCounters;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The uplink's copy, driven with the batches Camel's batching consumer can hand it: its queue of
 * records outlives a rebalance, so a batch may hold a partition's records twice (fetched, then
 * fetched again after the partition was handed back and sought to the cloud's offset), or hold
 * records of a partition that has meanwhile moved to another replica. The cloud topic, read back,
 * must hold each edge record once and in order.
 */
class UplinkTransferTest {

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(1, 1);

    private final CamelContext camel = new DefaultCamelContext();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void should_copy_each_record_once_when_a_batch_holds_a_partitions_records_twice() throws Exception {
        String topic = "twice.images.enriched";
        Fetched first = fetchTen(topic, "cefiot-twice-uplink");
        UplinkTransfer uplink = first.uplink();
        List<Exchange> fetched = first.records();

        // What the batching queue holds after a rebalance sent the partition back to offset 0.
        List<Exchange> batch = new ArrayList<>(fetched);
        batch.addAll(fetched.stream().map(this::copyOf).toList());
        uplink.send(batch);

        List<String> copied = Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 10, Duration.ofSeconds(30)).stream()
                .map(r -> Topics.header(r, "cefiot.sequence")).toList();
        assertThat(copied).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void should_not_copy_records_of_a_partition_that_moved_to_another_replica() throws Exception {
        String topic = "moved.images.enriched";
        createTopics(topic, 2);
        sendNumbered(topic, 2, 20);
        KafkaConsumer<String, byte[]> first = consumer("cefiot-moved-uplink");
        UplinkTransfer firstUplink = uplink("cefiot-moved-uplink", topic, first);
        List<Exchange> fetchedByFirst = pollRecords(first, records -> records.size() >= 20);

        // A second replica joins: the partitions are shared out, and the first replica's queue
        // still holds records of a partition it no longer owns.
        KafkaConsumer<String, byte[]> second = consumer("cefiot-moved-uplink");
        UplinkTransfer secondUplink = uplink("cefiot-moved-uplink", topic, second);
        // The second replica's polls while the group settles may already return its records: keep them.
        List<Exchange> secondsRecords = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            first.poll(Duration.ofMillis(100));
            second.poll(Duration.ofMillis(100)).forEach(r -> secondsRecords.add(exchangeOf(r)));
            return first.assignment().size() == 1 && second.assignment().size() == 1;
        });
        int movedPartition = second.assignment().iterator().next().partition();
        int settled = secondsRecords.size();
        secondsRecords.addAll(pollRecords(second, records -> settled + records.size() >= 10));

        firstUplink.send(fetchedByFirst.stream().filter(r -> partition(r) == movedPartition).toList());
        secondUplink.send(secondsRecords);

        List<ConsumerRecord<String, byte[]>> copied = Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 10,
                Duration.ofSeconds(30));
        assertThat(copied).as("the moved partition's records, copied once by its owner").hasSize(10)
                .allMatch(r -> r.partition() == movedPartition);
    }

    @Test
    void should_copy_a_reset_edge_topic_from_its_start_and_say_so() throws Exception {
        String topic = "reset.images.enriched";
        Fetched first = fetchTen(topic, "cefiot-reset-uplink");
        first.uplink().send(first.records());
        Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 10, Duration.ofSeconds(30));
        first.consumer().close();
        first.uplink().close();

        // The edge is wiped and provisioned again (ansible/reset.yml), or its topic deleted and made
        // again: the cloud still holds offset 10 for this partition, the new edge log starts at 0.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, clusters.edge().bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(topic));
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            ClusterPreflight.ensureTopics(ClusterAccess.plaintext("edge", clusters.edge().bootstrapServers()), List.of(topic), 1,
                    Duration.ofSeconds(10), t -> Map.of());
            return true;
        });
        for (int i = 10; i < 15; i++) {
            Topics.send(clusters.edge().bootstrapServers(), topic, 0, "cam-0", new byte[] {(byte) i},
                    Map.of("cefiot.sequence", Integer.toString(i)));
        }
        KafkaConsumer<String, byte[]> again = consumer("cefiot-reset-uplink");
        StageCounters counters = new StageCounters(new SimpleMeterRegistry());
        UplinkTransfer restarted = uplink("cefiot-reset-uplink", topic, again, counters);
        List<Exchange> fetched = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            again.poll(Duration.ofMillis(200)).forEach(r -> fetched.add(exchangeOf(r)));
            if (!fetched.isEmpty()) {
                restarted.send(List.copyOf(fetched));
                fetched.clear();
            }
            return Topics.readUntil(clusters.cloud().bootstrapServers(), topic, r -> true, Duration.ofSeconds(5)).size() >= 15;
        });

        List<String> copied = Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 15, Duration.ofSeconds(30)).stream()
                .map(r -> Topics.header(r, "cefiot.sequence")).toList();
        assertThat(copied).as("the old edge's records, then the new edge's, each once")
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14");
        assertThat(counters.edgeResets("uplink")).as("edge resets counted").isEqualTo(1);
    }

    @Test
    void should_raise_an_alarm_when_an_owned_partition_copies_nothing_while_records_wait_and_clear_it_once_copied() throws Exception {
        String topic = "stuck.images.enriched";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // The consumer owns the partition and fetched its records, but no batch reaches the uplink.
        Fetched stuck = fetchTen(topic, "cefiot-stuck-uplink", new StageCounters(registry), Duration.ofSeconds(3));
        UplinkTransfer uplink = stuck.uplink();
        List<Exchange> fetched = stuck.records();

        await("the stall alarm").atMost(Duration.ofSeconds(30)).until(() -> stalledPartitions(registry) == 1);

        uplink.send(fetched);
        assertThat(Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 10, Duration.ofSeconds(30))).hasSize(10);
        assertThat(stalledPartitions(registry)).as("cleared once copied").isZero();
        await("no alarm while nothing waits").during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12))
                .until(() -> stalledPartitions(registry) == 0);
    }

    private static double stalledPartitions(SimpleMeterRegistry registry) {
        return registry.get("cefiot.uplink.stalled.partitions").gauge().value();
    }

    private record Fetched(KafkaConsumer<String, byte[]> consumer, UplinkTransfer uplink, List<Exchange> records) {
    }

    /** A one-partition topic with records 0..9 at the edge, fetched by a consumer whose uplink owns the partition. */
    private Fetched fetchTen(String topic, String group) {
        return fetchTen(topic, group, new StageCounters(new SimpleMeterRegistry()), UplinkTransfer.STALL_ALARM_AFTER);
    }

    private Fetched fetchTen(String topic, String group, StageCounters counters, Duration stallAlarmAfter) {
        createTopics(topic, 1);
        sendNumbered(topic, 1, 10);
        KafkaConsumer<String, byte[]> consumer = consumer(group);
        UplinkTransfer uplink = uplink(group, topic, consumer, counters, stallAlarmAfter);
        return new Fetched(consumer, uplink, pollRecords(consumer, records -> records.size() >= 10));
    }

    private UplinkTransfer uplink(String group, String topic, KafkaConsumer<String, byte[]> consumer) {
        return uplink(group, topic, consumer, new StageCounters(new SimpleMeterRegistry()));
    }

    private UplinkTransfer uplink(String group, String topic, KafkaConsumer<String, byte[]> consumer, StageCounters counters) {
        return uplink(group, topic, consumer, counters, UplinkTransfer.STALL_ALARM_AFTER);
    }

    private UplinkTransfer uplink(String group, String topic, KafkaConsumer<String, byte[]> consumer, StageCounters counters,
                                  Duration stallAlarmAfter) {
        UplinkTransfer uplink = new UplinkTransfer(group, topic, topic,
                ClusterAccess.plaintext("edge.bootstrap-servers", clusters.edge().bootstrapServers()),
                ClusterAccess.plaintext("cloud.bootstrap-servers", clusters.cloud().bootstrapServers()), counters, stallAlarmAfter);
        opened.add(uplink);
        uplink.subscribe(consumer, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        }, new TopicInfo(null, topic));
        return uplink;
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, clusters.edge().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        opened.add(consumer);
        return consumer;
    }

    /** Polls (which also runs the rebalance listener, so the uplink takes its partitions over) until enough records came. */
    private List<Exchange> pollRecords(KafkaConsumer<String, byte[]> consumer, Predicate<List<Exchange>> enough) {
        List<Exchange> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(exchangeOf(r)));
            return enough.test(records);
        });
        return records;
    }

    /** The exchange Camel's Kafka consumer makes of a record: body, key, partition, offset, headers. */
    private Exchange exchangeOf(ConsumerRecord<String, byte[]> record) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(record.value());
        exchange.getMessage().setHeader(KafkaConstants.KEY, record.key());
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, record.partition());
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, record.offset());
        record.headers().forEach(h -> exchange.getMessage().setHeader(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return exchange;
    }

    private Exchange copyOf(Exchange exchange) {
        Exchange copy = new DefaultExchange(camel);
        copy.getMessage().setBody(exchange.getMessage().getBody());
        copy.getMessage().setHeaders(Map.copyOf(exchange.getMessage().getHeaders()));
        return copy;
    }

    private static int partition(Exchange exchange) {
        return exchange.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
    }

    private static void createTopics(String topic, int partitions) {
        ClusterPreflight.ensureTopics(ClusterAccess.plaintext("edge", clusters.edge().bootstrapServers()), List.of(topic), partitions,
                Duration.ofSeconds(60), t -> Map.of());
        ClusterPreflight.ensureTopics(ClusterAccess.plaintext("cloud", clusters.cloud().bootstrapServers()), List.of(topic), partitions,
                Duration.ofSeconds(60), t -> Map.of());
    }

    /** Records 0..count-1, spread over the partitions in turn. */
    private static void sendNumbered(String topic, int partitions, int count) {
        for (int i = 0; i < count; i++) {
            Topics.send(clusters.edge().bootstrapServers(), topic, i % partitions, "cam-" + (i % partitions), new byte[] {(byte) i},
                    Map.of("cefiot.sequence", Integer.toString(i)));
        }
    }
}
