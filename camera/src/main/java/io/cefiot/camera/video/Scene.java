package io.cefiot.camera.video;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic camera scene with known motion: a textured still background, objects that cross it
 * during given frame intervals, sensor noise, a slow global lighting change and camera dropouts.
 * {@link SceneVideo} renders it to a video file; {@link #motionAt(int)} is the ground truth.
 *
 * @param width        frame width in pixels
 * @param height       frame height in pixels
 * @param fps          frames per second
 * @param frames       length in frames
 * @param seed         fixes the background texture and the noise
 * @param noiseSigma   standard deviation of the per-pixel sensor noise, in grey levels
 * @param lightFrom    brightness gain at the first frame (1 = as drawn)
 * @param lightTo      brightness gain at the last frame; it changes linearly in between
 * @param crossings    objects crossing the scene
 * @param dropouts     intervals of blank (black) frames: the camera lost its signal
 */
public record Scene(int width, int height, int fps, int frames, long seed, double noiseSigma,
                    double lightFrom, double lightTo, List<Crossing> crossings, List<Interval> dropouts) {

    /** Frames {@code from} (inclusive) to {@code to} (exclusive). */
    public record Interval(int from, int to) {
        public boolean contains(int frame) {
            return frame >= from && frame < to;
        }
    }

    /**
     * An object that moves from the left edge to the right edge during {@code during}: a filled
     * ellipse {@code size} pixels across, at height {@code row} (0-1 of the frame), in grey level {@code grey}.
     */
    public record Crossing(Interval during, int size, double row, int grey) {
    }

    public Scene {
        crossings = List.copyOf(crossings);
        dropouts = List.copyOf(dropouts);
    }

    /** Whether frame {@code frame} shows motion: an object is crossing and the camera has signal. */
    public boolean motionAt(int frame) {
        return dropouts.stream().noneMatch(d -> d.contains(frame))
                && crossings.stream().anyMatch(c -> c.during().contains(frame));
    }

    /** Frames in which the ground truth changes (the first frame of each new state). */
    public List<Integer> transitions() {
        List<Integer> result = new ArrayList<>();
        for (int f = 1; f < frames; f++) {
            if (motionAt(f) != motionAt(f - 1)
                    || isDropoutEdge(f)) {
                result.add(f);
            }
        }
        return result;
    }

    private boolean isDropoutEdge(int frame) {
        return dropouts.stream().anyMatch(d -> d.from() == frame || d.to() == frame);
    }

    /** The demo's clip: 640x480 at 25 fps, 20 s, people-sized objects crossing most of the time. */
    public static Scene demo() {
        List<Crossing> crossings = new ArrayList<>();
        int[][] intervals = {{25, 95}, {110, 170}, {180, 260}, {275, 330}, {345, 420}, {430, 490}};
        for (int i = 0; i < intervals.length; i++) {
            crossings.add(new Crossing(new Interval(intervals[i][0], intervals[i][1]), 60 + 15 * (i % 3),
                    0.3 + 0.12 * (i % 4), i % 2 == 0 ? 235 : 25));
        }
        return new Scene(640, 480, 25, 500, 20261128L, 3.0, 1.0, 0.9, crossings, List.of());
    }
}
