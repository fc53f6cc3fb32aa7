package io.cefiot.camera.component;

import io.cefiot.camera.motion.DetectorSettings;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One camera: {@code camera:CAMERA_ID?source=SOURCE&detector=mog2|diff&...}. Consumer only.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "camera", title = "Camera (motion detection)",
        syntax = "camera:cameraId", consumerOnly = true, category = {Category.IOT},
        headersClass = CameraHeaders.class)
public class CameraEndpoint extends DefaultEndpoint {

    @UriPath(description = "The camera id: letters, digits and '-'.")
    @Metadata(required = true)
    private final String cameraId;

    @UriParam(description = "Where frames come from: a V4L2 device (/dev/video0), a stream URL (rtsp://..., http://... MJPEG) or a video file.")
    @Metadata(required = true)
    private String source;

    @UriParam(description = "Motion detection algorithm: mog2 (background subtraction) or diff (frame differencing).", defaultValue = "mog2", label = "consumer")
    private String detector = "mog2";

    @UriParam(description = "How much a pixel must change to count: grey levels for diff, MOG2's varThreshold for mog2.", label = "consumer")
    private double pixelThreshold = DetectorSettings.DEFAULT_PIXEL_THRESHOLD;

    @UriParam(description = "Share of the watched area (0-1) that must change for a frame to show motion.", label = "consumer")
    private double minArea = DetectorSettings.DEFAULT_MIN_AREA;

    @UriParam(description = "Frames used only to learn the scene, after start and after each dropout.", label = "consumer")
    private int warmupFrames = DetectorSettings.DEFAULT_WARMUP_FRAMES;

    @UriParam(description = "Width frames are scaled down to for detection; captures keep full resolution.", label = "consumer")
    private int detectWidth = DetectorSettings.DEFAULT_DETECT_WIDTH;

    @UriParam(description = "Image file whose non-black pixels mark the region watched for motion; empty watches the whole frame.", label = "consumer")
    private String roiMask;

    @UriParam(description = "At most this many captures per second while motion lasts.", defaultValue = "2.0", label = "consumer")
    private double maxRate = 2.0;

    @UriParam(description = "After a motion event ends, the scene must be still this long before a new event is captured.", defaultValue = "0", label = "consumer")
    private long cooldownMs = 0L;

    @UriParam(description = "JPEG quality (1-100) of the captured frames.", defaultValue = "90", label = "consumer")
    private int jpegQuality = 90;

    @UriParam(description = "Replay a video file from the start when it ends.", defaultValue = "false", label = "consumer")
    private boolean loop = false;

    @UriParam(description = "Replay a video file at its recorded frame rate (false: as fast as frames decode).", defaultValue = "true", label = "consumer")
    private boolean realtime = true;

    @UriParam(description = "Stop capturing after this many captures; 0 = no limit.", defaultValue = "0", label = "consumer")
    private long maxCaptures = 0L;

    @UriParam(description = "Directory that keeps the camera's sequence number across restarts.", defaultValue = "camera-state", label = "consumer")
    private String stateDir = "camera-state";

    @UriParam(description = "First wait before reopening a live source that dropped; doubles up to maxReconnectDelayMs.", defaultValue = "1000", label = "consumer")
    private long reconnectDelayMs = 1000L;

    @UriParam(description = "Longest wait between attempts to reopen a live source.", defaultValue = "30000", label = "consumer")
    private long maxReconnectDelayMs = 30000L;

    public CameraEndpoint(String uri, CameraComponent component, String cameraId) {
        super(uri, component);
        this.cameraId = cameraId;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("camera: is a consumer only; it captures images, it cannot be sent to");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        CameraConsumer consumer = new CameraConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getCameraId() {
        return cameraId;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public String getDetector() {
        return detector;
    }

    public void setDetector(String detector) {
        this.detector = detector;
    }

    public double getPixelThreshold() {
        return pixelThreshold;
    }

    public void setPixelThreshold(double pixelThreshold) {
        this.pixelThreshold = pixelThreshold;
    }

    public double getMinArea() {
        return minArea;
    }

    public void setMinArea(double minArea) {
        this.minArea = minArea;
    }

    public int getWarmupFrames() {
        return warmupFrames;
    }

    public void setWarmupFrames(int warmupFrames) {
        this.warmupFrames = warmupFrames;
    }

    public int getDetectWidth() {
        return detectWidth;
    }

    public void setDetectWidth(int detectWidth) {
        this.detectWidth = detectWidth;
    }

    public String getRoiMask() {
        return roiMask;
    }

    public void setRoiMask(String roiMask) {
        this.roiMask = roiMask;
    }

    public double getMaxRate() {
        return maxRate;
    }

    public void setMaxRate(double maxRate) {
        this.maxRate = maxRate;
    }

    public long getCooldownMs() {
        return cooldownMs;
    }

    public void setCooldownMs(long cooldownMs) {
        this.cooldownMs = cooldownMs;
    }

    public int getJpegQuality() {
        return jpegQuality;
    }

    public void setJpegQuality(int jpegQuality) {
        this.jpegQuality = jpegQuality;
    }

    public boolean isLoop() {
        return loop;
    }

    public void setLoop(boolean loop) {
        this.loop = loop;
    }

    public boolean isRealtime() {
        return realtime;
    }

    public void setRealtime(boolean realtime) {
        this.realtime = realtime;
    }

    public long getMaxCaptures() {
        return maxCaptures;
    }

    public void setMaxCaptures(long maxCaptures) {
        this.maxCaptures = maxCaptures;
    }

    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    public long getReconnectDelayMs() {
        return reconnectDelayMs;
    }

    public void setReconnectDelayMs(long reconnectDelayMs) {
        this.reconnectDelayMs = reconnectDelayMs;
    }

    public long getMaxReconnectDelayMs() {
        return maxReconnectDelayMs;
    }

    public void setMaxReconnectDelayMs(long maxReconnectDelayMs) {
        this.maxReconnectDelayMs = maxReconnectDelayMs;
    }
}
