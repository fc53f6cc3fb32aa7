package io.cefiot.it;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.launcher.Cefiot;
import io.cefiot.runtime.SiteRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Moves enrich from the edge to the cloud and back with {@code ./cefiot place} while the camera
 * keeps capturing, on a site run as an edge process and a cloud process that follow one
 * configuration file. Every image reaches the archive once, and every image crossed the link
 * exactly once: either enriched (edge:enriched) or raw (edge:ingested, enriched in the cloud).
 */
class PlacementMoveTest {

    static final int IMAGES = 300;
    static final int MORE_IMAGES_PER_PLACEMENT = 40;

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    @Test
    void should_lose_and_repeat_nothing_when_enrich_moves_to_the_cloud_and_back_while_images_flow() throws Exception {
        TestSite site = clusters.site(dir)
                .set(Setting.SITE_ID, "moving")
                .set(Setting.CAMERA_IMAGES, Integer.toString(IMAGES))
                .set(Setting.CAMERA_INTERVAL_MS, "60")
                .set(Setting.CAMERA_SEED, "11");
        Path config = site.write(dir.resolve("site.properties"));

        try (SiteRuntime edge = SiteRuntime.start(config, Set.of(Side.EDGE));
             SiteRuntime cloud = SiteRuntime.start(config, Set.of(Side.CLOUD))) {
            assertThat(edge.runningStages()).containsExactly(Stage.CAMERA, Stage.INGEST, Stage.ENRICH, Stage.UPLINK);
            assertThat(cloud.runningStages()).containsExactly(Stage.ARCHIVE);
            awaitArchived(site, MORE_IMAGES_PER_PLACEMENT);

            int capturedBeforeMove = captured(site);
            assertThat(place(config, "cloud")).isZero();
            assertThat(capturedBeforeMove).as("the camera was still capturing when enrich moved").isLessThan(IMAGES);
            assertThat(edge.runningStages()).containsExactly(Stage.CAMERA, Stage.INGEST, Stage.UPLINK);
            assertThat(cloud.runningStages()).containsExactly(Stage.ENRICH, Stage.ARCHIVE);
            awaitArchived(site, ArchiveContents.images(site.archive()).size() + MORE_IMAGES_PER_PLACEMENT);

            assertThat(place(config, "edge")).isZero();
            assertThat(edge.runningStages()).containsExactly(Stage.CAMERA, Stage.INGEST, Stage.ENRICH, Stage.UPLINK);
            assertThat(cloud.runningStages()).containsExactly(Stage.ARCHIVE);

            awaitArchived(site, IMAGES);
            assertThat(cloud.stage(Stage.ARCHIVE).counters().count("archive", "duplicate")).isZero();
        }

        assertThat(ArchiveContents.imageHashes(site.archive())).hasSize(IMAGES)
                .containsExactlyInAnyOrderElementsOf(ArchiveContents.loggedHashes(site.captureLog()));
        String edgeServers = clusters.edge().bootstrapServers();
        String cloudServers = clusters.cloud().bootstrapServers();
        List<String> enrichedInCloud = images(Topics.readUntil(cloudServers, "moving.images.ingested", r -> !r.isEmpty(), Duration.ofSeconds(30)));
        List<String> enrichedAtEdge = images(Topics.readUntil(edgeServers, "moving.images.enriched", r -> !r.isEmpty(), Duration.ofSeconds(30)));
        List<String> arrived = images(Topics.readAtLeast(cloudServers, "moving.images.enriched", IMAGES, Duration.ofSeconds(30)));
        assertThat(enrichedInCloud).as("images enriched in the cloud").isNotEmpty().doesNotHaveDuplicates();
        assertThat(enrichedAtEdge).as("images enriched at the edge").doesNotHaveDuplicates().doesNotContainAnyElementsOf(enrichedInCloud);
        assertThat(enrichedInCloud.size() + enrichedAtEdge.size()).as("images that crossed the link").isEqualTo(IMAGES);
        assertThat(arrived).as("images on the cloud's enriched topic").hasSize(IMAGES).doesNotHaveDuplicates();
        System.out.printf("enrich moves: %d images crossed enriched, %d crossed raw and were enriched in the cloud%n",
                enrichedAtEdge.size(), enrichedInCloud.size());
    }

    private static int place(Path config, String side) {
        return Cefiot.commandLine().execute("place", "enrich", side, "--config", config.toString(), "--wait", "120");
    }

    private static void awaitArchived(TestSite site, int images) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> ArchiveContents.images(site.archive()).size() >= images);
    }

    private static int captured(TestSite site) throws IOException {
        return Files.exists(site.captureLog()) ? Files.readAllLines(site.captureLog()).size() : 0;
    }

    private static List<String> images(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> Topics.header(r, ImageHeaders.CAMERA) + "/" + Topics.header(r, ImageHeaders.SEQUENCE))
                .collect(Collectors.toList());
    }
}
