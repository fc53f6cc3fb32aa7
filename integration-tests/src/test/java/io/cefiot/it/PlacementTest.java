package io.cefiot.it;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
    static final List<String> STABLE_FIELDS = List.of("site", "camera", "sequence", "sha256", "size", "file");

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    record Run(Map<String, Map<String, Object>> archive, long uplinkedBytes) {
    }

    @Test
    void should_archive_the_same_images_and_metadata_whether_enrich_runs_at_the_edge_or_in_the_cloud() throws Exception {
        Run scenario1 = run("s1", "edge");
        Run scenario2 = run("s2", "cloud");

        assertThat(scenario1.archive()).hasSize(IMAGES);
        assertThat(scenario2.archive()).isEqualTo(scenario1.archive());
        long imageBytes = scenario1.archive().values().stream().mapToLong(m -> Long.parseLong((String) m.get("size"))).sum();
        assertThat(scenario1.uplinkedBytes()).isEqualTo(imageBytes);
        assertThat(scenario2.uplinkedBytes()).isEqualTo(imageBytes);
    }

    /** Runs a fresh site (its own topics) with the given placement of enrich. */
    private Run run(String siteId, String enrichSide) throws Exception {
        Path root = dir.resolve(siteId);
        TestSite site = clusters.site(root)
                .set(Setting.SITE_ID, siteId)
                .set(Setting.PLACEMENT_ENRICH, enrichSide)
                .set(Setting.CAMERA_IMAGES, Integer.toString(IMAGES))
                .set(Setting.CAMERA_INTERVAL_MS, "5")
                .set(Setting.CAMERA_SEED, "7");
        long uplinked;
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), Arrays.asList(Stage.values()))) {
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
