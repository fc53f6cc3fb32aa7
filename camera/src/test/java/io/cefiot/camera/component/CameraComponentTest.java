package io.cefiot.camera.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cefiot.camera.video.Scene;
import io.cefiot.camera.video.Scene.Crossing;
import io.cefiot.camera.video.Scene.Interval;
import io.cefiot.camera.video.SceneVideo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The camera: component in a real Camel context, reading real video files. */
class CameraComponentTest {

    @TempDir
    static Path clips;

    @TempDir
    Path state;

    static Scene scene;
    static Path video;

    @BeforeAll
    static void writeClip() throws Exception {
        scene = new Scene(640, 480, 25, 150, 9, 4.0, 1.0, 1.0, List.of(
                new Crossing(new Interval(30, 70), 70, 0.4, 230), new Crossing(new Interval(100, 130), 60, 0.6, 20)), List.of());
        video = SceneVideo.write(scene, clips.resolve("two-crossings.avi"));
    }

    record Capture(Map<String, Object> headers, byte[] jpeg) {
    }

    @Test
    void every_motion_frame_becomes_one_jpeg_exchange_with_the_camera_headers() throws Exception {
        Queue<Capture> captures = new ConcurrentLinkedQueue<>();
        try (CamelContext camel = start(captures, "camera:gate-1?source=" + video + "&realtime=false&maxRate=1000&stateDir=" + state)) {
            long motionFrames = IntStream.range(0, scene.frames()).filter(scene::motionAt).count();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat((double) captures.size()).isBetween(motionFrames * 0.9, motionFrames * 1.05));

            List<Capture> list = List.copyOf(captures);
            assertThat(list).extracting(c -> c.headers().get(CameraHeaders.SEQUENCE))
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, list.size()).mapToObj(i -> (Object) (long) i).toList());
            for (Capture c : list) {
                assertThat(c.headers()).containsEntry(CameraHeaders.CAMERA, "gate-1")
                        .containsKeys(CameraHeaders.CAPTURE_TIME, CameraHeaders.MOTION_SCORE, CameraHeaders.MOTION_BOX);
                assertThat((Double) c.headers().get(CameraHeaders.MOTION_SCORE)).isPositive();
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(c.jpeg()));
                assertThat(image.getWidth()).as("captures keep full resolution").isEqualTo(640);
                assertThat(image.getHeight()).isEqualTo(480);
            }
        }
    }

    @Test
    void the_sequence_continues_after_a_restart() throws Exception {
        Queue<Capture> first = new ConcurrentLinkedQueue<>();
        String uri = "camera:gate-2?source=" + video + "&realtime=false&maxRate=1000&maxCaptures=5&stateDir=" + state;
        try (CamelContext camel = start(first, uri)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.size() == 5);
        }
        Queue<Capture> second = new ConcurrentLinkedQueue<>();
        try (CamelContext camel = start(second, uri)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> second.size() == 5);
        }
        assertThat(first).extracting(c -> c.headers().get(CameraHeaders.SEQUENCE)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(second).extracting(c -> c.headers().get(CameraHeaders.SEQUENCE)).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(Files.readString(state.resolve("gate-2.sequence")).trim()).isEqualTo("10");
    }

    @Test
    void a_missing_file_a_corrupt_file_and_a_missing_device_fail_the_start_with_the_reason() throws Exception {
        Path corrupt = state.resolve("corrupt.avi");
        Files.write(corrupt, "RIFF this is not really a video".repeat(100).getBytes());
        assertThatThrownBy(() -> start(new ConcurrentLinkedQueue<>(), "camera:c1?source=" + state.resolve("nope.avi") + "&stateDir=" + state))
                .hasStackTraceContaining("the video file " + state.resolve("nope.avi") + " does not exist");
        assertThatThrownBy(() -> start(new ConcurrentLinkedQueue<>(), "camera:c2?source=" + corrupt + "&stateDir=" + state))
                .hasStackTraceContaining("FFmpeg cannot read it as a video");
        assertThatThrownBy(() -> start(new ConcurrentLinkedQueue<>(), "camera:c3?source=/dev/video97&stateDir=" + state))
                .hasStackTraceContaining("the video device /dev/video97 does not exist");
        assertThatThrownBy(() -> start(new ConcurrentLinkedQueue<>(), "camera:c4?source=" + video + "&detector=magic&stateDir=" + state))
                .hasStackTraceContaining("Unknown motion detector 'magic'");
    }

    @Test
    void a_stream_that_drops_is_reopened_and_the_route_keeps_capturing() throws Exception {
        List<byte[]> frames = MjpegStreamServer.jpegFrames(video);
        Queue<Capture> captures = new ConcurrentLinkedQueue<>();
        MjpegStreamServer camera = MjpegStreamServer.start(0, frames, 25);
        int port = camera.port();
        String uri = "camera:ip-cam?source=http://127.0.0.1:" + port + "/stream.mjpg&maxRate=1000"
                + "&reconnectDelayMs=200&maxReconnectDelayMs=1000&stateDir=" + state;
        try (CamelContext camel = start(captures, uri)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> captures.size() >= 10);

            camera.close(); // the camera drops off the network
            CameraConsumer consumer = (CameraConsumer) camel.getRoutes().get(0).getConsumer();
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.getFailedReopens() >= 2);

            camera = MjpegStreamServer.start(port, frames, 25); // and comes back
            int capturedBeforeReturn = captures.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> captures.size() >= capturedBeforeReturn + 10);
            assertThat(consumer.getReconnects()).isGreaterThanOrEqualTo(1);
            assertThat(camel.getRouteController().getRouteStatus(camel.getRoutes().get(0).getRouteId()).isStarted()).isTrue();
            List<Capture> list = List.copyOf(captures);
            assertThat(list).extracting(c -> c.headers().get(CameraHeaders.SEQUENCE))
                    .as("no sequence number repeats across the reconnect")
                    .doesNotHaveDuplicates();
        } finally {
            camera.close();
        }
    }

    private static CamelContext start(Queue<Capture> sink, String uri) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).process(e -> sink.add(new Capture(Map.copyOf(e.getIn().getHeaders()), e.getIn().getBody(byte[].class))));
                }
            });
            camel.start();
        } catch (Exception e) {
            camel.close();
            throw e;
        }
        return camel;
    }
}
