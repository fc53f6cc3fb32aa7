package io.cefiot.uplink;

import io.cefiot.clients.ClusterAccess;
import io.cefiot.runtime.ClusterPreflight;
import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.ConfigException;
import io.cefiot.site.Stage;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;
import io.cefiot.testing.Trickle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class UplinkRouteTest {


    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(1, 1);

    @TempDir
    Path dir;

    @Test
    void should_copy_records_from_the_edge_topic_to_the_same_topic_in_the_cloud_keeping_key_value_and_headers() throws Exception {
        TestSite site = clusters.site(dir);
        String topic = TestSite.SITE_ID + ".images.enriched";
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK))) {
            for (int i = 0; i < 20; i++) {
                Topics.send(clusters.edge().bootstrapServers(), topic, "cam-" + (i % 3), new byte[] {(byte) i, 42},
                        Map.of("cefiot.sequence", Integer.toString(i), "cefiot.site", TestSite.SITE_ID));
            }
            List<ConsumerRecord<String, byte[]>> copied = Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 20,
                    Duration.ofSeconds(60));

            assertThat(copied).hasSize(20);
            for (ConsumerRecord<String, byte[]> record : copied) {
                int i = Integer.parseInt(Topics.header(record, "cefiot.sequence"));
                assertThat(record.key()).isEqualTo("cam-" + (i % 3));
                assertThat(record.value()).containsExactly((byte) i, 42);
                assertThat(Topics.header(record, "cefiot.site")).isEqualTo(TestSite.SITE_ID);
            }
        }
    }

    /**
     * The link's gauge reads the transfer in use. A process's console registry outlives its
     * pipelines: a placement move closes one and starts another in the same registry, and Camel
     * builds a route file's beans twice (when it pre-parses the file, then when it loads it) and
     * closes the first. A gauge left on a closed transfer reads NaN once that is collected (the
     * console test saw {@code cefiot_link_up NaN}), and 1 for ever before.
     */
    @Test
    void should_read_the_link_gauge_from_the_transfer_in_use_after_a_pipeline_was_replaced() throws Exception {
        TestSite site = clusters.site(dir.resolve("gauge")).set(io.cefiot.site.Setting.SITE_ID, "gauge");
        String topic = "gauge.images.enriched";
        PrometheusMeterRegistry console = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (PipelineRuntime before = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK), console)) {
            Topics.send(clusters.edge().bootstrapServers(), topic, "cam-1", new byte[] {1}, Map.of("cefiot.sequence", "1"));
            assertThat(Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 1, Duration.ofSeconds(60))).hasSize(1);
        }
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK), console)) {
            Topics.send(clusters.edge().bootstrapServers(), topic, "cam-1", new byte[] {2}, Map.of("cefiot.sequence", "2"));
            assertThat(Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 2, Duration.ofSeconds(60))).hasSize(2);
            for (int i = 0; i < 3; i++) {
                System.gc(); // clears what only a weak reference holds, as a closed transfer's counter would be
            }
            assertThat(runtime.metrics().get("cefiot.link.up").gauge().value()).isEqualTo(1.0);

            // The transfer in use marks the link down (as after a failed cloud operation): the gauge follows it.
            UplinkTransfer inUse = runtime.context().getRegistry().lookupByNameAndType("uplinkTransfer", UplinkTransfer.class);
            java.lang.reflect.Field linkUp = UplinkTransfer.class.getDeclaredField("linkUp");
            linkUp.setAccessible(true);
            ((java.util.concurrent.atomic.AtomicInteger) linkUp.get(inUse)).set(0);
            assertThat(runtime.metrics().get("cefiot.link.up").gauge().value()).isEqualTo(0.0);
        }
    }

    @Test
    void should_report_records_the_edge_deleted_before_they_were_copied_and_go_on_with_the_rest() throws Exception {
        TestSite site = clusters.site(dir.resolve("retention")).set(io.cefiot.site.Setting.SITE_ID, "retention");
        String topic = "retention.images.enriched";
        String edge = clusters.edge().bootstrapServers();
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK))) {
            sendNumbered(edge, topic, 0, 12);
            Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 12, Duration.ofSeconds(60));
        }
        sendNumbered(edge, topic, 12, 24);
        long dropped;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, edge))) {
            // What retention does to a full or too old edge buffer: the oldest records go.
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, end) ->
                    deletions.put(tp, RecordsToDelete.beforeOffset(Math.max(0, end.offset() - 1))));
            Map<TopicPartition, Long> copied = new HashMap<>();
            admin.listConsumerGroupOffsets("cefiot-retention-uplink").partitionsToOffsetAndMetadata().get()
                    .forEach((tp, om) -> copied.put(tp, om.offset()));
            admin.deleteRecords(deletions).all().get();
            dropped = deletions.entrySet().stream()
                    .mapToLong(e -> Math.max(0, e.getValue().beforeOffset() - copied.getOrDefault(e.getKey(), 0L))).sum();
        }
        assertThat(dropped).as("records deleted before the uplink copied them").isPositive();

        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK))) {
            List<ConsumerRecord<String, byte[]>> copied = Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic,
                    (int) (24 - dropped), Duration.ofSeconds(60));
            assertThat(copied).hasSize((int) (24 - dropped));
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().dropped("uplink") == dropped);
        }
    }

    @Test
    void should_copy_a_quiet_cameras_trickle_while_it_flows_not_once_it_stops() throws Exception {
        TestSite site = clusters.site(dir.resolve("trickle")).set(io.cefiot.site.Setting.SITE_ID, "trickle");
        String topic = "trickle.images.enriched";
        int total = 60;
        // One record every 250 ms: the consumer's polls never come back empty, so an uplink that
        // waits for a full batch (or an empty poll) would hold every record until the trickle ends.
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK));
             Trickle trickle = Trickle.start(clusters.edge().bootstrapServers(), topic, Duration.ofMillis(250), total)) {
            Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 5, Duration.ofSeconds(60));

            assertThat(trickle.sent()).as("records sent at the edge when the cloud had committed 5").isLessThan(total);
        }
    }

    @Test
    void should_refuse_to_start_when_the_cloud_topic_has_fewer_partitions_than_the_edge_topic() {
        TestSite site = clusters.site(dir.resolve("narrow")).set(io.cefiot.site.Setting.SITE_ID, "narrow");
        ClusterPreflight.ensureTopics(ClusterAccess.plaintext("cloud", clusters.cloud().bootstrapServers()),
                List.of("narrow.images.enriched"), 2, Duration.ofSeconds(60), t -> Map.of());

        assertThatThrownBy(() -> PipelineRuntime.start(site.config(), List.of(Stage.UPLINK)).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cloud's topic narrow.images.enriched has 2 partitions and the edge's has 3")
                .hasMessageContaining("--partitions 3");
    }

    @Test
    void should_refuse_to_start_against_a_cloud_without_the_transaction_protocol_that_fences_late_writes() throws Exception {
        try (EmbeddedKafkaCluster oldCloud = EmbeddedKafkaCluster.start(1, dir.resolve("old-cloud-kafka"))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, oldCloud.bootstrapServers()))) {
                admin.updateFeatures(Map.of("transaction.version", new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                        new UpdateFeaturesOptions()).all().get(30, TimeUnit.SECONDS);
            }
            TestSite site = new TestSite(dir.resolve("old-cloud")).edge(clusters.edge().bootstrapServers())
                    .cloud(oldCloud.bootstrapServers()).set(io.cefiot.site.Setting.SITE_ID, "oldcloud");

            assertThatThrownBy(() -> PipelineRuntime.start(site.config(), List.of(Stage.UPLINK)).close())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("finalises transaction.version=1")
                    .hasMessageContaining("upgrade --feature transaction.version=2");
        }
    }

    private static void sendNumbered(String servers, String topic, int from, int to) {
        for (int i = from; i < to; i++) {
            Topics.send(servers, topic, "cam-" + (i % 3), new byte[] {(byte) i}, Map.of("cefiot.sequence", Integer.toString(i)));
        }
    }
}
