package io.cefiot.camera.component;

/**
 * Headers of an exchange from the {@code camera:} component. The body is the captured frame as
 * JPEG bytes. The names are those of the pipeline's data contract (routes/README.md).
 */
public final class CameraHeaders {

    /** The camera id (String), the endpoint's path. */
    public static final String CAMERA = "cefiot.camera";
    /** Per-camera sequence number (Long), persisted: unique for the camera across restarts. */
    public static final String SEQUENCE = "cefiot.sequence";
    /** When the frame was grabbed, epoch milliseconds (Long). */
    public static final String CAPTURE_TIME = "cefiot.capture-time";
    /** The share of the watched area that changed, 0-1 (Double). */
    public static final String MOTION_SCORE = "cefiot.motion-score";
    /** Where it changed, "x,y,width,height" in full-resolution pixels (String). */
    public static final String MOTION_BOX = "cefiot.motion-box";

    private CameraHeaders() {
    }
}
