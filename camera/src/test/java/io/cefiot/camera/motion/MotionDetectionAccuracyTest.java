package io.cefiot.camera.motion;

import static org.assertj.core.api.Assertions.assertThat;

import io.cefiot.camera.source.FrameSource;
import io.cefiot.camera.source.SourceSpec;
import io.cefiot.camera.video.Scene;
import io.cefiot.camera.video.Scene.Crossing;
import io.cefiot.camera.video.Scene.Interval;
import io.cefiot.camera.video.SceneVideo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Frame-level precision and recall of both detectors on synthetic clips with known motion,
 * written to real video files with FFmpeg and read back through the camera's own frame source.
 * A frame next to a change of the truth (the first or last frame of a crossing or dropout) is
 * not scored: which side of the edge it falls on depends on the algorithm, not on its quality.
 */
class MotionDetectionAccuracyTest {

    private static final double REQUIRED = 0.95;

    @TempDir
    static Path videos;

    static final Map<String, Scene> SCENES = new LinkedHashMap<>();
    static final Map<String, Path> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void writeClips() throws Exception {
        SCENES.put("objects-and-noise", new Scene(640, 480, 15, 240, 1, 8.0, 1.0, 1.0, List.of(
                crossing(30, 80, 70, 0.3, 230), crossing(100, 140, 40, 0.6, 20),
                crossing(150, 200, 90, 0.45, 200), crossing(190, 230, 50, 0.75, 40)), List.of()));
        // Dusk in ten seconds: the light falls to 40 %, about half a grey level per frame.
        SCENES.put("slow-lighting-change", new Scene(640, 480, 15, 150, 2, 3.0, 1.0, 0.4, List.of(
                crossing(30, 60, 60, 0.4, 220), crossing(100, 130, 60, 0.5, 30)), List.of()));
        SCENES.put("camera-dropout", new Scene(640, 480, 15, 240, 3, 3.0, 1.0, 1.0, List.of(
                crossing(30, 80, 60, 0.5, 220), crossing(160, 210, 70, 0.4, 30)), List.of(new Interval(100, 120))));
        SCENES.put("all-at-once-720p", new Scene(1280, 720, 15, 240, 4, 5.0, 0.8, 1.1, List.of(
                crossing(25, 75, 120, 0.35, 240), crossing(150, 220, 90, 0.6, 15)), List.of(new Interval(100, 110))));
        for (var scene : SCENES.entrySet()) {
            FILES.put(scene.getKey(), SceneVideo.write(scene.getValue(), videos.resolve(scene.getKey() + ".avi")));
        }
    }

    private static Crossing crossing(int from, int to, int size, double row, int grey) {
        return new Crossing(new Interval(from, to), size, row, grey);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void detector_should_reach_95_percent_precision_and_recall_per_frame(Algorithm algorithm) throws Exception {
        int truePositives = 0;
        int falsePositives = 0;
        int falseNegatives = 0;
        List<String> report = new ArrayList<>();
        for (var entry : SCENES.entrySet()) {
            Scene scene = entry.getValue();
            List<Integer> edges = scene.transitions();
            int tp = 0;
            int fp = 0;
            int fn = 0;
            try (FrameSource source = FrameSource.open(SourceSpec.parse(FILES.get(entry.getKey()).toString()));
                 MotionDetector detector = MotionDetector.create(DetectorSettings.defaults(algorithm))) {
                int frame = 0;
                for (Mat image = source.next(); image != null; image = source.next(), frame++) {
                    boolean seen = detector.detect(image).moving();
                    int f = frame;
                    if (edges.stream().anyMatch(e -> Math.abs(e - f) <= 1)) {
                        continue;
                    }
                    boolean truth = scene.motionAt(frame);
                    if (seen && truth) {
                        tp++;
                    } else if (seen) {
                        fp++;
                    } else if (truth) {
                        fn++;
                    }
                }
                assertThat(frame).as("frames read back from " + entry.getKey()).isEqualTo(scene.frames());
            }
            report.add(String.format("%s: tp=%d fp=%d fn=%d", entry.getKey(), tp, fp, fn));
            // Each difficulty on its own, too: a good total must not hide one kind of scene failing.
            assertThat(tp / (double) (tp + fp)).as("precision of " + algorithm.id() + " on " + entry.getKey())
                    .isGreaterThanOrEqualTo(REQUIRED);
            assertThat(tp / (double) (tp + fn)).as("recall of " + algorithm.id() + " on " + entry.getKey())
                    .isGreaterThanOrEqualTo(REQUIRED);
            truePositives += tp;
            falsePositives += fp;
            falseNegatives += fn;
        }
        double precision = truePositives / (double) (truePositives + falsePositives);
        double recall = truePositives / (double) (truePositives + falseNegatives);
        System.out.printf("%s: precision %.3f recall %.3f %s%n", algorithm.id(), precision, recall, report);
        assertThat(precision).as("precision of " + algorithm.id() + " " + report).isGreaterThanOrEqualTo(REQUIRED);
        assertThat(recall).as("recall of " + algorithm.id() + " " + report).isGreaterThanOrEqualTo(REQUIRED);
    }
}
