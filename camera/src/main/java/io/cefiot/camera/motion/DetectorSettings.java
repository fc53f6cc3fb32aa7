package io.cefiot.camera.motion;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How motion is found in a frame.
 *
 * @param algorithm      MOG2 background subtraction or frame differencing
 * @param pixelThreshold how much a pixel must change to count as changed: the grey-level difference
 *                       (0-255) for frame differencing, the squared distance to the background model
 *                       (MOG2's varThreshold) for MOG2
 * @param minArea        the share of the watched area (0-1) that must change for a frame to show motion
 * @param warmupFrames   frames used only to learn the scene, after start and after every dropout
 * @param detectWidth    frames are scaled down to this width for detection (captures stay full size)
 * @param roiMask        an image whose non-black pixels mark the region watched; empty watches everything
 */
public record DetectorSettings(Algorithm algorithm, double pixelThreshold, double minArea, int warmupFrames,
                               int detectWidth, Optional<Path> roiMask) {

    public static final double DEFAULT_PIXEL_THRESHOLD = 25;
    public static final double DEFAULT_MIN_AREA = 0.002;
    public static final int DEFAULT_WARMUP_FRAMES = 10;
    public static final int DEFAULT_DETECT_WIDTH = 320;
    /** Frames of MOG2 history: about 4 s at 25 fps, so a parked car becomes background within seconds. */
    public static final int MOG2_HISTORY = 100;

    public DetectorSettings {
        if (!(pixelThreshold > 0 && pixelThreshold <= 255)) {
            throw new IllegalArgumentException("The pixel threshold must lie in (0, 255], not " + pixelThreshold);
        }
        if (!(minArea > 0 && minArea < 1)) {
            throw new IllegalArgumentException("The minimum changed area is a share of the frame in (0, 1), not " + minArea);
        }
        if (warmupFrames < 1) {
            throw new IllegalArgumentException("Warm-up needs at least 1 frame, not " + warmupFrames);
        }
        if (detectWidth < 32) {
            throw new IllegalArgumentException("The detection width must be at least 32 pixels, not " + detectWidth);
        }
    }

    public static DetectorSettings defaults(Algorithm algorithm) {
        return new DetectorSettings(algorithm, DEFAULT_PIXEL_THRESHOLD, DEFAULT_MIN_AREA, DEFAULT_WARMUP_FRAMES,
                DEFAULT_DETECT_WIDTH, Optional.empty());
    }
}
