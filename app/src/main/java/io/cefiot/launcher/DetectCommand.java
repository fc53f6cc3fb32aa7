package io.cefiot.launcher;

import io.cefiot.camera.capture.CapturePolicy;
import io.cefiot.camera.detect.DetectRun;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the camera's motion detector over a recorded clip, so users can tune the camera.* settings
 * on their own footage. The options are those settings; unset ones take the settings' defaults.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Run motion detection on a recorded clip: print how many frames it read and how many showed motion. "
                + "With --out, write the captured JPEGs and a per-frame CSV there.")
public class DetectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "VIDEO", description = "A video file FFmpeg can read.")
    Path video;

    @Option(names = "--out", paramLabel = "DIR", description = "Write frame-NNNNNN.jpg for each capture and frames.csv here.")
    Path out;

    @Option(names = "--detector", paramLabel = "mog2|diff", description = "camera.detector (default: mog2).")
    String detector;

    @Option(names = "--pixel-threshold", paramLabel = "T", description = "camera.pixel-threshold (default: 25).")
    String pixelThreshold;

    @Option(names = "--min-area", paramLabel = "SHARE", description = "camera.min-area, 0 to 1 (default: 0.002).")
    String minArea;

    @Option(names = "--warmup-frames", paramLabel = "N", description = "camera.warmup-frames (default: 10).")
    String warmupFrames;

    @Option(names = "--detect-width", paramLabel = "PIXELS", description = "camera.detect-width (default: 320).")
    String detectWidth;

    @Option(names = "--roi-mask", paramLabel = "IMAGE", description = "camera.roi-mask: non-black pixels are watched.")
    String roiMask;

    @Option(names = "--max-rate", paramLabel = "PER_SECOND", description = "camera.max-rate (default: 2).")
    String maxRate;

    @Option(names = "--cooldown-ms", paramLabel = "MS", description = "camera.cooldown-ms (default: 0).")
    String cooldownMs;

    @Option(names = "--jpeg-quality", paramLabel = "Q", description = "camera.jpeg-quality (default: 90).")
    String jpegQuality;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(video)) {
            System.err.println("cefiot: " + video + " is not a video file" + (Files.exists(video) ? "." : " (it does not exist)."));
            return 2;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(Setting.SITE_ID.key(), "detect"); // names nothing here, but every configuration has one
        settings.put(Setting.CAMERA_SOURCE.key(), video.toString());
        put(settings, Setting.CAMERA_DETECTOR, detector);
        put(settings, Setting.CAMERA_PIXEL_THRESHOLD, pixelThreshold);
        put(settings, Setting.CAMERA_MIN_AREA, minArea);
        put(settings, Setting.CAMERA_WARMUP_FRAMES, warmupFrames);
        put(settings, Setting.CAMERA_DETECT_WIDTH, detectWidth);
        put(settings, Setting.CAMERA_ROI_MASK, roiMask);
        put(settings, Setting.CAMERA_MAX_RATE, maxRate);
        put(settings, Setting.CAMERA_COOLDOWN_MS, cooldownMs);
        put(settings, Setting.CAMERA_JPEG_QUALITY, jpegQuality);
        SiteConfig config = SiteConfig.of("the detect options", settings);

        CapturePolicy policy = new CapturePolicy(config.doubleValue(Setting.CAMERA_MAX_RATE), config.longValue(Setting.CAMERA_COOLDOWN_MS));
        System.out.println("Detecting motion in " + video + " with " + config.require(Setting.CAMERA_DETECTOR) + "...");
        DetectRun.Result result;
        try {
            result = DetectRun.run(video, config.cameraDetector(), policy,
                    (int) config.longValue(Setting.CAMERA_JPEG_QUALITY), Optional.ofNullable(out), System.out::println);
        } catch (IOException e) {
            System.err.println("cefiot: " + e.getMessage());
            return 2;
        }
        System.out.printf(Locale.ROOT, "Read %d frames: %d showed motion (%.1f %%), %d would be captured. %.0f frames/s.%n",
                result.frames(), result.motionFrames(), result.frames() == 0 ? 0.0 : 100.0 * result.motionFrames() / result.frames(),
                result.captures(), result.framesPerSecond());
        if (out != null) {
            System.out.println("Captured frames and frames.csv are in " + out.toAbsolutePath());
        }
        return 0;
    }

    private static void put(Map<String, String> settings, Setting setting, String value) {
        if (value != null) {
            settings.put(setting.key(), value);
        }
    }
}
