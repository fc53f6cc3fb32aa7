package io.cefiot.camera;

import io.cefiot.camera.video.Scene;
import io.cefiot.camera.video.SceneVideo;
import io.cefiot.contract.SpoolFileName;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.TestSite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

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
    void should_spool_motion_captures_from_a_video_with_sequences_that_continue_after_a_restart() throws Exception {
        Path clip = SceneVideo.write(new Scene(640, 480, 25, 100, 5, 3.0, 1.0, 1.0,
                List.of(new Scene.Crossing(new Scene.Interval(20, 90), 80, 0.5, 230)), List.of()), dir.resolve("clip.avi"));
        TestSite site = new TestSite(dir).set(Setting.CAMERA_SOURCE, clip.toString()).set(Setting.CAMERA_IDS, "gate-cam")
                .set(Setting.CAMERA_MAX_RATE, "100").set(Setting.CAMERA_IMAGES, "8");
        for (int run = 1; run <= 2; run++) {
            try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.CAMERA))) {
                NotifyBuilder captured = new NotifyBuilder(runtime.context()).fromRoute("camera-motion-to-spool").whenDone(8).create();
                assertThat(captured.matches(60, SECONDS)).as("run " + run + " captured 8 images").isTrue();
            }
        }
        List<Path> spooled;
        try (Stream<Path> files = Files.list(site.spool())) {
            spooled = files.sorted().toList();
        }
        assertThat(spooled).extracting(file -> SpoolFileName.parse(file.getFileName().toString()).orElseThrow())
                .allSatisfy(name -> assertThat(name.camera()).isEqualTo("gate-cam"))
                .extracting(SpoolFileName::sequence)
                .as("the second run goes on from the sequence the first left on disk")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 16).boxed().toList());
        assertThat(spooled).allSatisfy(file -> assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(640));
        assertThat(ArchiveContents.loggedHashes(site.captureLog()))
                .containsExactlyInAnyOrderElementsOf(spooled.stream().map(ArchiveContents::hash).toList());
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
