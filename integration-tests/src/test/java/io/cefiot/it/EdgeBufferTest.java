package io.cefiot.it;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The edge buffer's limit and its two policies, with the link's far end (uplink) missing for a while. */
class EdgeBufferTest {

    static final int IMAGES = 40;

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    @Test
    void wait_policy_should_pause_ingest_at_the_limit_keep_images_in_the_spool_and_lose_nothing() throws Exception {
        TestSite site = clusters.site(dir.resolve("wait"))
                .set(Setting.SITE_ID, "buffer-wait")
                .set(Setting.CAMERA_IMAGES, Integer.toString(IMAGES))
                .set(Setting.CAMERA_INTERVAL_MS, "100")
                .set(Setting.EDGE_BUFFER_MAX_BYTES, "300000")
                .set(Setting.EDGE_BUFFER_MAX_AGE_MS, "3000");
        try (PipelineRuntime edge = PipelineRuntime.start(site.config(), List.of(Stage.CAMERA, Stage.INGEST, Stage.ENRICH))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> gauge(edge, "cefiot.edge.buffer.full") == 1.0);
            await().atMost(Duration.ofMinutes(1)).until(() -> ArchiveContents.loggedHashes(site.captureLog()).size() == IMAGES);
            // Ingest stays paused: the images it has not taken wait in the spool, and stay there.
            long waiting = spooled(site);
            assertThat(waiting).as("images waiting in the spool").isPositive();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> spooled(site) == waiting);
            assertThat(gauge(edge, "cefiot.edge.buffer.bytes")).isGreaterThanOrEqualTo(300000.0);
            await().atMost(Duration.ofSeconds(30)).until(() -> gauge(edge, "cefiot.edge.buffer.too-old") == 1.0);

            try (PipelineRuntime link = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK, Stage.ARCHIVE))) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ArchiveContents.images(site.archive()).size() >= IMAGES);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> gauge(edge, "cefiot.edge.buffer.full") == 0.0
                    && gauge(edge, "cefiot.edge.buffer.too-old") == 0.0);
        }
        assertThat(spooled(site)).isZero();
        assertThat(ArchiveContents.imageHashes(site.archive())).containsExactlyInAnyOrderElementsOf(
                ArchiveContents.loggedHashes(site.captureLog()));
    }

    @Test
    void drop_oldest_policy_should_give_the_edge_topics_retention_at_the_limits() throws Exception {
        TestSite site = clusters.site(dir.resolve("drop"))
                .set(Setting.SITE_ID, "buffer-drop")
                .set(Setting.EDGE_BUFFER_POLICY, "drop-oldest")
                .set(Setting.EDGE_BUFFER_MAX_BYTES, Long.toString(60L * 1024 * 1024))
                .set(Setting.EDGE_BUFFER_MAX_AGE_MS, "3600000");
        try (PipelineRuntime edge = PipelineRuntime.start(site.config(), List.of(Stage.INGEST, Stage.ENRICH))) {
            assertThat(SitePlan.of(site.config()).edgeBufferTopics()).containsExactly("buffer-drop.images.ingested",
                    "buffer-drop.images.enriched");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, clusters.edge().bootstrapServers()))) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "buffer-drop.images.enriched");
                Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
                // 60 MiB over 2 topics of 3 partitions each
                assertThat(config.get("retention.bytes").value()).isEqualTo(Long.toString(10L * 1024 * 1024));
                assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
            }
            assertThat(gauge(edge, "cefiot.edge.buffer.full")).isZero();
        }
    }

    private static double gauge(PipelineRuntime runtime, String name) {
        return runtime.metrics().get(name).gauge().value();
    }

    private static long spooled(TestSite site) throws Exception {
        try (Stream<Path> files = Files.list(site.spool())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).count();
        }
    }

    @Test
    void drop_oldest_policy_should_account_for_every_image_as_archived_or_counted_as_dropped() throws Exception {
        TestSite site = clusters.site(dir.resolve("dropped"))
                .set(Setting.SITE_ID, "buffer-dropped")
                .set(Setting.CAMERA_IMAGES, "60")
                .set(Setting.CAMERA_INTERVAL_MS, "500")
                .set(Setting.EDGE_BUFFER_POLICY, "drop-oldest")
                .set(Setting.EDGE_BUFFER_MAX_AGE_MS, "5000");
        String enriched = "buffer-dropped.images.enriched";
        try (PipelineRuntime edge = PipelineRuntime.start(site.config(), List.of(Stage.CAMERA, Stage.INGEST, Stage.ENRICH));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, clusters.edge().bootstrapServers()))) {
            // The link is down: nothing reads the enriched topic, and its retention (5 s) deletes the oldest.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> oldestOffsets(admin, enriched) > 0);
            await().atMost(Duration.ofMinutes(1)).until(() -> ArchiveContents.loggedHashes(site.captureLog()).size() == 60);
            try (PipelineRuntime link = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK, Stage.ARCHIVE))) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                        ArchiveContents.images(site.archive()).size() + link.counters().dropped("uplink") >= 60);
                long dropped = link.counters().dropped("uplink");
                assertThat(dropped).as("images retention deleted before the link returned").isPositive();
                assertThat(ArchiveContents.images(site.archive()).size() + dropped).isEqualTo(60);
            }
        }
        assertThat(ArchiveContents.loggedHashes(site.captureLog())).containsAll(ArchiveContents.imageHashes(site.archive()));
    }

    private static long oldestOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
        }
        return admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }
}
