package io.cefiot.it;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.SitePlan;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The paper's Scenario 1 (enrich at the edge) and Scenario 2 (enrich in the cloud): same routes, same archive. */
class PlacementTest {

    static final int IMAGES = 60;

    /** Metadata that does not depend on when the run happened. */
    static final List<String> STABLE_FIELDS = List.of("site", "camera", "sequence", "sha256", "size", "file",
            "original-sha256", "original-size", "compacted");

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    record Run(Map<String, Map<String, Object>> archive, long uplinkedBytes) {
    }

    @Test
    void should_archive_the_same_images_and_metadata_whether_enrich_runs_at_the_edge_or_in_the_cloud() throws Exception {
        Run scenario1 = run("s1", Map.of(Setting.PLACEMENT_ENRICH, "edge"));
        Run scenario2 = run("s2", Map.of(Setting.PLACEMENT_ENRICH, "cloud"));

        assertThat(scenario1.archive()).hasSize(IMAGES);
        assertThat(scenario2.archive()).isEqualTo(scenario1.archive());
        long imageBytes = scenario1.archive().values().stream().mapToLong(m -> Long.parseLong((String) m.get("size"))).sum();
        assertThat(scenario1.uplinkedBytes()).isEqualTo(imageBytes);
        assertThat(scenario2.uplinkedBytes()).isEqualTo(imageBytes);
    }

    @Test
    void should_send_fewer_bytes_over_the_uplink_with_compact_at_the_edge_and_archive_the_same_compacted_images() throws Exception {
        Run compactInCloud = run("c1", Map.of(Setting.COMPACT_ENABLED, "true", Setting.PLACEMENT_COMPACT, "cloud"));
        Run compactAtEdge = run("c2", Map.of(Setting.COMPACT_ENABLED, "true", Setting.PLACEMENT_COMPACT, "edge"));

        assertThat(compactInCloud.archive()).hasSize(IMAGES);
        assertThat(compactAtEdge.archive()).isEqualTo(compactInCloud.archive());
        assertThat(compactInCloud.archive().values()).allSatisfy(metadata -> {
            assertThat(metadata).containsKeys("original-sha256", "original-size", "compacted");
            assertThat(Long.parseLong((String) metadata.get("size"))).isLessThan(Long.parseLong((String) metadata.get("original-size")));
        });
        long originalBytes = compactInCloud.archive().values().stream()
                .mapToLong(m -> Long.parseLong((String) m.get("original-size"))).sum();
        long compactedBytes = compactInCloud.archive().values().stream().mapToLong(m -> Long.parseLong((String) m.get("size"))).sum();
        assertThat(compactInCloud.uplinkedBytes()).isEqualTo(originalBytes);
        assertThat(compactAtEdge.uplinkedBytes()).isEqualTo(compactedBytes).isLessThan(originalBytes);
        System.out.printf("uplink image bytes for %d images: compact in the cloud %d, compact at the edge %d (%.0f%%)%n",
                IMAGES, compactInCloud.uplinkedBytes(), compactAtEdge.uplinkedBytes(),
                100.0 * compactAtEdge.uplinkedBytes() / compactInCloud.uplinkedBytes());
    }

    /** Runs a fresh site (its own topics) with the given placement settings. */
    private Run run(String siteId, Map<Setting, String> placement) throws Exception {
        Path root = dir.resolve(siteId);
        TestSite site = clusters.site(root)
                .set(Setting.SITE_ID, siteId)
                .set(Setting.CAMERA_IMAGES, Integer.toString(IMAGES))
                .set(Setting.CAMERA_INTERVAL_MS, "5")
                .set(Setting.CAMERA_SEED, "7");
        placement.forEach(site::set);
        long uplinked;
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), SitePlan.of(site.config()).stages())) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ArchiveContents.images(site.archive()).size() >= IMAGES);
            uplinked = runtime.counters().bytes("uplink");
        }
        Map<String, Map<String, Object>> archive = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (Path image : ArchiveContents.images(site.archive())) {
            File document = image.resolveSibling(image.getFileName().toString().replace(".jpg", ".json")).toFile();
            Map<String, Object> metadata = new TreeMap<>(json.readValue(document, new TypeReference<Map<String, Object>>() { }));
            metadata.keySet().retainAll(STABLE_FIELDS);
            metadata.put("site", "the site");
            archive.put(ArchiveContents.hash(image), metadata);
        }
        return new Run(archive, uplinked);
    }
}
