package io.cefiot.camera.component;

import io.cefiot.camera.capture.CapturePolicy;
import io.cefiot.camera.capture.JpegFrames;
import io.cefiot.camera.capture.SequenceStore;
import io.cefiot.camera.motion.Algorithm;
import io.cefiot.camera.motion.DetectorSettings;
import io.cefiot.camera.motion.Motion;
import io.cefiot.camera.motion.MotionDetector;
import io.cefiot.camera.source.FrameSource;
import io.cefiot.camera.source.SourceSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads frames on its own thread, detects motion, and sends each captured frame through the route
 * synchronously: while the route cannot take an image (a full spool, say), capture waits.
 * <p>
 * A source that cannot be opened at start fails the route's start with the reason. A live source
 * (device or stream) that drops later is reopened with a doubling delay; the route stays up. A
 * video file ends (or starts again with {@code loop=true}).
 */
public class CameraConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CameraConsumer.class);

    private final CameraEndpoint endpoint;
    private final AtomicLong framesRead = new AtomicLong();
    private final AtomicLong motionFrames = new AtomicLong();
    private final AtomicLong captures = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong failedReopens = new AtomicLong();

    private SourceSpec spec;
    private DetectorSettings detectorSettings;
    private CapturePolicy policy;
    private SequenceStore sequences;
    private FrameSource source;
    private MotionDetector detector;
    private ExecutorService thread;
    private volatile CountDownLatch stopping;

    public CameraConsumer(CameraEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String camera = endpoint.getCameraId();
        try {
            spec = SourceSpec.parse(endpoint.getSource());
            detectorSettings = new DetectorSettings(Algorithm.parse(endpoint.getDetector()), endpoint.getPixelThreshold(),
                    endpoint.getMinArea(), endpoint.getWarmupFrames(), endpoint.getDetectWidth(),
                    Optional.ofNullable(endpoint.getRoiMask()).filter(s -> !s.isBlank()).map(Path::of));
            policy = new CapturePolicy(endpoint.getMaxRate(), endpoint.getCooldownMs());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Camera " + camera + ": " + e.getMessage(), e);
        }
        if (endpoint.getJpegQuality() < 1 || endpoint.getJpegQuality() > 100) {
            throw new IllegalArgumentException("Camera " + camera + ": jpegQuality must lie in 1-100, not " + endpoint.getJpegQuality());
        }
        sequences = SequenceStore.open(Path.of(endpoint.getStateDir()), camera);
        source = FrameSource.open(spec);
        try {
            // Made here, not in the capture thread, so that OpenCV's native libraries load (or fail) at start.
            detector = MotionDetector.create(detectorSettings);
        } catch (LinkageError e) {
            source.close();
            throw new IllegalStateException("Camera " + camera + ": OpenCV's native libraries do not load (" + e.getMessage()
                    + "). JavaCV's OpenCV links against GTK: on a headless host, install libgtk2.0-0.", e);
        }
        LOG.info("Camera {} reads {} ({}x{} at {} fps), detector {}, next sequence {}", camera, spec,
                source.width(), source.height(), Math.round(source.frameRate()), detectorSettings.algorithm().id(),
                sequences.last() + 1);
        stopping = new CountDownLatch(1);
        thread = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "camera-" + camera);
        thread.submit(this::captureLoop);
    }

    @Override
    protected void doStop() throws Exception {
        if (stopping != null) {
            stopping.countDown();
        }
        if (thread != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(thread);
            thread = null;
        }
        super.doStop();
    }

    private boolean running() {
        return isRunAllowed() && stopping.getCount() > 0;
    }

    private void captureLoop() {
        String camera = endpoint.getCameraId();
        try (MotionDetector detector = this.detector) {
            long replayStart = System.nanoTime();
            long replayFrame = 0;
            while (running()) {
                Mat frame;
                try {
                    frame = source.next();
                } catch (IOException e) {
                    if (!spec.live()) {
                        LOG.error("Camera {} stopped: {} (is the file cut short or corrupt?)", camera, e.getMessage());
                        return;
                    }
                    reopenLiveSource(e.getMessage());
                    continue;
                }
                if (frame == null) {
                    if (!endpoint.isLoop()) {
                        LOG.info("Camera {} reached the end of {} after {} frames, {} captured", camera, spec,
                                framesRead.get(), captures.get());
                        return;
                    }
                    source.close();
                    source = FrameSource.open(spec);
                    replayStart = System.nanoTime();
                    replayFrame = 0;
                    continue;
                }
                framesRead.incrementAndGet();
                if (!spec.live() && endpoint.isRealtime() && source.frameRate() > 0) {
                    long due = replayStart + (long) (replayFrame++ * 1_000_000_000L / source.frameRate());
                    waitOrStop(due - System.nanoTime());
                }
                long now = System.currentTimeMillis();
                Motion motion = detector.detect(frame);
                if (motion.moving()) {
                    motionFrames.incrementAndGet();
                }
                if (policy.offer(motion.moving(), now)) {
                    capture(frame, motion, now);
                    if (endpoint.getMaxCaptures() > 0 && captures.get() >= endpoint.getMaxCaptures()) {
                        LOG.info("Camera {} captured its {} images and stops", camera, captures.get());
                        return;
                    }
                }
            }
        } catch (Exception | LinkageError e) {
            // An Error would otherwise end this thread without a word, and the route would look started.
            LOG.error("Camera {} stopped: {}", camera, e.getMessage(), e);
        } finally {
            source.close();
        }
    }

    private void capture(Mat frame, Motion motion, long captureMillis) {
        long sequence;
        try {
            sequence = sequences.next();
        } catch (IOException e) {
            LOG.error("Camera {} cannot persist its sequence number in {}, frame not captured: {}",
                    endpoint.getCameraId(), endpoint.getStateDir(), e.getMessage());
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(JpegFrames.encode(frame, endpoint.getJpegQuality()));
            exchange.getIn().setHeader(CameraHeaders.CAMERA, endpoint.getCameraId());
            exchange.getIn().setHeader(CameraHeaders.SEQUENCE, sequence);
            exchange.getIn().setHeader(CameraHeaders.CAPTURE_TIME, captureMillis);
            exchange.getIn().setHeader(CameraHeaders.MOTION_SCORE, motion.score());
            motion.box().ifPresent(box -> exchange.getIn().setHeader(CameraHeaders.MOTION_BOX, box.toString()));
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Camera " + endpoint.getCameraId() + " could not deliver capture " + sequence,
                    exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
        captures.incrementAndGet();
    }

    /** Reopens a live source that dropped, waiting longer after each failed attempt. */
    private void reopenLiveSource(String why) {
        String camera = endpoint.getCameraId();
        source.close();
        long delay = endpoint.getReconnectDelayMs();
        while (running()) {
            LOG.warn("Camera {}: {}; reopening in {} ms", camera, why, delay);
            waitOrStop(TimeUnit.MILLISECONDS.toNanos(delay));
            if (!running()) {
                return;
            }
            try {
                source = FrameSource.open(spec);
                reconnects.incrementAndGet();
                LOG.info("Camera {} reconnected to {}", camera, spec);
                return;
            } catch (IOException e) {
                failedReopens.incrementAndGet();
                why = e.getMessage();
                delay = Math.min(delay * 2, endpoint.getMaxReconnectDelayMs());
            }
        }
    }

    /** Waits (pacing a replay, backing off a reconnect) but wakes at once when the route stops. */
    private void waitOrStop(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            stopping.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    public long getFramesRead() {
        return framesRead.get();
    }

    public long getMotionFrames() {
        return motionFrames.get();
    }

    public long getCaptures() {
        return captures.get();
    }

    /** Times a dropped live source was reopened. */
    public long getReconnects() {
        return reconnects.get();
    }

    /** Attempts to reopen a dropped live source that failed. */
    public long getFailedReopens() {
        return failedReopens.get();
    }
}
