package io.cefiot.camera.motion;

import java.util.Optional;

/**
 * What the detector saw in one frame.
 *
 * @param state what kind of frame it was
 * @param score the share of the watched area that changed (0-1)
 * @param box   where it changed, in full-resolution pixels; present when the frame shows motion
 */
public record Motion(State state, double score, Optional<Box> box) {

    public enum State {
        /** Still learning the scene (after start, or after a dropout or a sudden global change). */
        WARMING_UP,
        /** Nothing (or too little) moved. */
        STILL,
        /** Enough of the watched area changed. */
        MOVING,
        /** The picture is blank: the camera lost its signal. The scene is learnt anew afterwards. */
        DROPOUT,
        /** Most of the picture changed at once (a light switched, the camera was moved): not motion. */
        GLOBAL_CHANGE
    }

    /** An axis-aligned rectangle in pixels. */
    public record Box(int x, int y, int width, int height) {
        @Override
        public String toString() {
            return x + "," + y + "," + width + "," + height;
        }
    }

    public boolean moving() {
        return state == State.MOVING;
    }

    static Motion of(State state, double score) {
        return new Motion(state, score, Optional.empty());
    }
}
