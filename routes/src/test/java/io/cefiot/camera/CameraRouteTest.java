package io.cefiot.camera;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.TestSite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class CameraRouteTest {

    @TempDir
    Path dir;

    @Test
    void should_spool_the_requested_number_of_whole_jpegs_and_log_their_hashes() throws Exception {
        TestSite site = new TestSite(dir).set(Setting.CAMERA_IMAGES, "12").set(Setting.CAMERA_INTERVAL_MS, "5");
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.CAMERA))) {
            NotifyBuilder captured = new NotifyBuilder(runtime.context()).fromRoute("camera-*").whenDone(12).create();
            assertThat(captured.matches(30, SECONDS)).isTrue();
        }
        List<Path> spooled;
        try (Stream<Path> files = Files.list(site.spool())) {
            spooled = files.sorted().toList();
        }
        assertThat(spooled).hasSize(12).allSatisfy(file -> {
            assertThat(file.getFileName().toString()).matches("cam-[12]_\\d{12}_\\d+\\.jpg");
            byte[] jpeg = Files.readAllBytes(file);
            assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
            assertThat(jpeg[jpeg.length - 1] & 0xff).isEqualTo(0xD9);
        });
        assertThat(ArchiveContents.loggedHashes(site.captureLog()))
                .containsExactlyElementsOf(spooled.stream().map(ArchiveContents::hash).sorted().toList());
    }

    @Test
    void should_draw_the_same_images_for_the_same_seed_and_different_ones_for_another() {
        SyntheticCamera first = new SyntheticCamera(7, List.of("cam-1"), Clock.systemUTC());
        SyntheticCamera again = new SyntheticCamera(7, List.of("cam-1"), Clock.systemUTC());
        SyntheticCamera other = new SyntheticCamera(8, List.of("cam-1"), Clock.systemUTC());

        assertThat(first.draw(3)).isEqualTo(again.draw(3));
        assertThat(first.draw(3)).isNotEqualTo(other.draw(3));
        assertThat(first.draw(3)).isNotEqualTo(first.draw(4));
    }
}
