package io.cefiot.bench;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import io.cefiot.camera.motion.Algorithm;
import io.cefiot.camera.motion.DetectorSettings;
import io.cefiot.camera.motion.MotionDetector;
import io.cefiot.camera.source.FrameSource;
import io.cefiot.camera.source.SourceSpec;
import io.cefiot.camera.video.Scene;
import io.cefiot.camera.video.SceneVideo;

import java.io.IOException;
import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/**
 * Detection speed per core: the camera's detector against the bare OpenCV operations it needs
 * (decode, scale, convert to grey, subtract), on the same clip, in alternating rounds so that both
 * see the same machine noise. OpenCV is held to one thread, and speed is frames per CPU-second of
 * this process (all its threads: FFmpeg's decoder threads, GC, JIT), so the figures are per core
 * and a busy machine changes them little.
 */
public final class CameraBenchmark {

    /** One resolution and algorithm: medians over the rounds, in frames per CPU-second. */
    public record Measurement(String resolution, Algorithm algorithm, double detectorFps, double ceilingFps, double decodeFps) {
        public double ratio() {
            return detectorFps / ceilingFps;
        }
    }

    private static final int[][] RESOLUTIONS = {{640, 480}, {1280, 720}};

    private CameraBenchmark() {
    }

    public static List<Measurement> run(Path work, int frames, int rounds, Consumer<String> progress) throws IOException {
        opencv_core.setNumThreads(1);
        List<Measurement> results = new ArrayList<>();
        for (int[] size : RESOLUTIONS) {
            String resolution = size[0] + "x" + size[1];
            progress.accept("Rendering a " + frames + "-frame " + resolution + " clip...");
            Scene demo = Scene.demo();
            Scene scene = new Scene(size[0], size[1], demo.fps(), frames, demo.seed(), demo.noiseSigma(), 1.0, 0.9,
                    demo.crossings(), List.of());
            Path clip = SceneVideo.write(scene, work.resolve("bench-" + resolution + ".avi"));
            for (Algorithm algorithm : Algorithm.values()) {
                double[] detector = new double[rounds];
                double[] ceiling = new double[rounds];
                double[] decode = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    progress.accept(String.format("%s %s round %d of %d...", resolution, algorithm.id(), r + 1, rounds));
                    detector[r] = framesPerCpuSecond(clip, Pass.DETECTOR, algorithm);
                    ceiling[r] = framesPerCpuSecond(clip, Pass.CEILING, algorithm);
                    decode[r] = framesPerCpuSecond(clip, Pass.DECODE, algorithm);
                }
                results.add(new Measurement(resolution, algorithm, median(detector), median(ceiling), median(decode)));
            }
        }
        return results;
    }

    private enum Pass { DETECTOR, CEILING, DECODE }

    private static double framesPerCpuSecond(Path clip, Pass pass, Algorithm algorithm) throws IOException {
        // CPU time of the whole process, not of this thread: FFmpeg decodes on threads of its own.
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long frames = 0;
        long cpuStart = os.getProcessCpuTime();
        DetectorSettings settings = DetectorSettings.defaults(algorithm);
        try (FrameSource source = FrameSource.open(SourceSpec.parse(clip.toString()));
             MotionDetector detector = MotionDetector.create(settings);
             BareOperations bare = new BareOperations(algorithm, settings.detectWidth())) {
            for (Mat frame = source.next(); frame != null; frame = source.next()) {
                switch (pass) {
                    case DETECTOR -> detector.detect(frame);
                    case CEILING -> bare.apply(frame);
                    case DECODE -> { }
                }
                frames++;
            }
        }
        double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
        return frames / cpuSeconds;
    }

    /** The least a detector must do per frame: scale, grey, subtract, threshold. */
    private static final class BareOperations implements AutoCloseable {
        private final Algorithm algorithm;
        private final int width;
        private final Mat small = new Mat();
        private final Mat grey = new Mat();
        private final Mat previous = new Mat();
        private final Mat mask = new Mat();
        private final BackgroundSubtractorMOG2 mog2;

        BareOperations(Algorithm algorithm, int width) {
            this.algorithm = algorithm;
            this.width = width;
            this.mog2 = createBackgroundSubtractorMOG2(DetectorSettings.MOG2_HISTORY, DetectorSettings.DEFAULT_PIXEL_THRESHOLD, false);
        }

        void apply(Mat frame) {
            resize(frame, small, new Size(width, frame.rows() * width / frame.cols()), 0, 0, INTER_AREA);
            cvtColor(small, grey, COLOR_BGR2GRAY);
            if (algorithm == Algorithm.MOG2) {
                mog2.apply(grey, mask, -1);
            } else {
                if (previous.empty()) {
                    grey.copyTo(previous);
                }
                absdiff(grey, previous, mask);
                threshold(mask, mask, DetectorSettings.DEFAULT_PIXEL_THRESHOLD, 255, THRESH_BINARY);
                grey.copyTo(previous);
            }
        }

        @Override
        public void close() {
            small.close();
            grey.close();
            previous.close();
            mask.close();
            mog2.close();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
