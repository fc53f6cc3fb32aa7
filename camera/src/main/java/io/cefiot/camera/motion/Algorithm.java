package io.cefiot.camera.motion;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The two ways the camera can tell motion from a still scene. */
public enum Algorithm {
    /** MOG2 background subtraction: a per-pixel Gaussian mixture learns the still scene. */
    MOG2("mog2"),
    /** Frame differencing: a pixel moved if it changed enough since the previous frame. */
    DIFF("diff");

    private final String id;

    Algorithm(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Algorithm parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown motion detector '" + text + "'. Use one of: "
                        + Arrays.stream(values()).map(Algorithm::id).collect(Collectors.joining(", "))));
    }
}
