package io.cefiot.camera.detect;

import io.cefiot.camera.capture.CapturePolicy;
import io.cefiot.camera.capture.JpegFrames;
import io.cefiot.camera.motion.DetectorSettings;
import io.cefiot.camera.motion.Motion;
import io.cefiot.camera.motion.MotionDetector;
import io.cefiot.camera.source.FrameSource;
import io.cefiot.camera.source.SourceSpec;
import io.cefiot.files.DurableFile;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Runs the motion detector over a recorded clip as fast as it decodes, the way the camera would
 * see it, so that users can tune thresholds on their own footage. Captures follow the capture
 * policy on the clip's own clock (frame number / frame rate), not the wall clock.
 */
public final class DetectRun {

    /** What a run saw. */
    public record Result(long frames, long motionFrames, long captures, double seconds) {
        public double framesPerSecond() {
            return seconds > 0 ? frames / seconds : 0;
        }
    }

    private DetectRun() {
    }

    /**
     * Reads every frame of {@code video}. With {@code out}, writes each captured frame as
     * frame-NNNNNN.jpg and frames.csv (frame, time_ms, state, score, motion, captured, box) there.
     * {@code progress} hears a line every few seconds.
     */
    public static Result run(Path video, DetectorSettings settings, CapturePolicy policy, int jpegQuality,
                             Optional<Path> out, Consumer<String> progress) throws IOException {
        if (out.isPresent()) {
            Files.createDirectories(out.get());
        }
        long frames = 0;
        long motionFrames = 0;
        long captures = 0;
        long started = System.nanoTime();
        long lastReport = started;
        try (FrameSource source = FrameSource.open(SourceSpec.parse(video.toString()));
             MotionDetector detector = MotionDetector.create(settings);
             Writer csv = out.isPresent() ? Files.newBufferedWriter(out.get().resolve("frames.csv"), StandardCharsets.UTF_8) : Writer.nullWriter()) {
            if (source.spec().live()) {
                throw new IOException(video + " is a live source; detect reads recorded clips (video files)");
            }
            double fps = source.frameRate() > 0 ? source.frameRate() : 25;
            csv.write("frame,time_ms,state,score,motion,captured,box\n");
            for (Mat frame = source.next(); frame != null; frame = source.next()) {
                long timeMillis = Math.round(frames * 1000 / fps);
                Motion motion = detector.detect(frame);
                boolean captured = policy.offer(motion.moving(), timeMillis);
                if (motion.moving()) {
                    motionFrames++;
                }
                if (captured) {
                    captures++;
                    if (out.isPresent()) {
                        DurableFile.write(out.get().resolve(String.format("frame-%06d.jpg", frames)), JpegFrames.encode(frame, jpegQuality));
                    }
                }
                csv.write(String.format(Locale.ROOT, "%d,%d,%s,%.5f,%s,%s,%s%n", frames, timeMillis,
                        motion.state().name().toLowerCase(Locale.ROOT), motion.score(), motion.moving() ? "yes" : "no",
                        captured ? "yes" : "no", motion.box().map(b -> "\"" + b + "\"").orElse("")));
                frames++;
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.accept(String.format(Locale.ROOT, "%d frames read, %d with motion, %d captured...", frames, motionFrames, captures));
                }
            }
        }
        return new Result(frames, motionFrames, captures, (System.nanoTime() - started) / 1e9);
    }
}
