package io.cefiot.it;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.SitePlan;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every stage on a 3-node edge cluster and a 1-node cloud cluster, as the demo runs them. */
class EndToEndTest {

    static final int IMAGES = 500;

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    @Test
    void should_archive_every_spooled_image_exactly_once_and_byte_identical() throws Exception {
        TestSite site = clusters.site(dir)
                .set(Setting.CAMERA_IMAGES, Integer.toString(IMAGES))
                .set(Setting.CAMERA_INTERVAL_MS, "5")
                .set(Setting.CAMERA_IDS, "cam-1,cam-2,cam-3");

        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), SitePlan.of(site.config()).stages())) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ArchiveContents.images(site.archive()).size() >= IMAGES);
        }

        List<String> spooled = ArchiveContents.loggedHashes(site.captureLog());
        List<Path> archived = ArchiveContents.images(site.archive());
        assertThat(spooled).hasSize(IMAGES).doesNotHaveDuplicates();
        assertThat(ArchiveContents.imageHashes(site.archive())).containsExactlyElementsOf(spooled);
        assertThat(archived).allSatisfy(image ->
                assertThat(image.resolveSibling(image.getFileName().toString().replace(".jpg", ".json"))).exists());
        assertThat(Files.exists(site.quarantine())).isFalse();
    }
}
