package io.cefiot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;
import io.cefiot.testing.CommandRun;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ./cefiot status against a real site: stages down and a backlog, then everything up and drained, with the time to safety. */
class StatusTest {

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    @Test
    void status_shows_missing_stages_and_the_backlog_then_all_up() throws Exception {
        TestSite site = clusters.site(dir).set(Setting.CAMERA_IMAGES, "40").set(Setting.CAMERA_INTERVAL_MS, "50");
        Path config = site.write(dir.resolve("site.properties"));

        try (PipelineRuntime edge = PipelineRuntime.start(site.config(), List.of(Stage.CAMERA, Stage.INGEST, Stage.ENRICH))) {
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                CommandRun status = status(config);
                assertThat(status.exit()).as(status.stdout()).isEqualTo(1);
                assertThat(status.stdout()).containsPattern("enrich +edge +up +1 ")
                        .containsPattern("uplink +cut +DOWN +0 ")
                        .containsPattern("archive +cloud +DOWN +0 ")
                        .containsPattern("backlog: [1-9]\\d* images")
                        .containsPattern("oldest unsent image: captured \\d+ s ago")
                        .contains("link: up")
                        .containsPattern("into the edge cluster +p50 \\d+\\.\\d\\d s, p99 \\d+\\.\\d\\d s \\(last [1-9]\\d* images\\)")
                        .containsPattern("into the cloud cluster +no image yet");
            });

            try (PipelineRuntime cloud = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK, Stage.ARCHIVE))) {
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    CommandRun status = status(config);
                    assertThat(status.exit()).as(status.stdout()).isZero();
                    assertThat(status.stdout()).containsPattern("uplink +cut +up +1 ").containsPattern("archive +cloud +up +1 ")
                            .contains("backlog: 0 images").contains("oldest unsent image: none waiting")
                            .containsPattern("into the cloud cluster +p50 \\d+\\.\\d\\d s, p99 \\d+\\.\\d\\d s \\(last 40 images\\)");
                });
            }
        }
    }

    private static CommandRun status(Path config) {
        return CommandRun.of("status", "--config", config.toString(), "--window", "1");
    }
}
