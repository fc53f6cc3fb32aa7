package io.cefiot.camera.source;

import java.io.IOException;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Frames from a device, stream or file, decoded by FFmpeg into BGR images. One reader at a time.
 */
public final class FrameSource implements AutoCloseable {

    /** How long a read from a stream may hang before it counts as dropped. */
    private static final String STREAM_TIMEOUT_MICROS = "5000000";

    private final SourceSpec spec;
    private final FFmpegFrameGrabber grabber;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private boolean closed;

    private FrameSource(SourceSpec spec, FFmpegFrameGrabber grabber) {
        this.spec = spec;
        this.grabber = grabber;
    }

    /** Opens {@code spec}, or fails with a message that says what is wrong with it. */
    public static FrameSource open(SourceSpec spec) throws IOException {
        String problem = spec.problem();
        if (problem != null) {
            throw new IOException("Cannot open the camera source: " + problem);
        }
        FfmpegLog.errorsOnly();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(spec.location());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        switch (spec.kind()) {
            case DEVICE -> grabber.setFormat("video4linux2");
            case STREAM -> {
                grabber.setOption("rw_timeout", STREAM_TIMEOUT_MICROS);
                grabber.setOption("timeout", STREAM_TIMEOUT_MICROS);
                if (spec.location().startsWith("rtsp")) {
                    grabber.setOption("rtsp_transport", "tcp");
                }
            }
            case FILE -> { }
        }
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(grabber);
            throw new IOException("Cannot open the camera source " + spec + ": " + explain(spec, e), e);
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw new IOException("The camera source " + spec + " has no video stream");
        }
        return new FrameSource(spec, grabber);
    }

    private static String explain(SourceSpec spec, Exception e) {
        return switch (spec.kind()) {
            case FILE -> "FFmpeg cannot read it as a video (corrupt or not a video file): " + e.getMessage();
            case STREAM -> "the stream did not answer or is not a video stream: " + e.getMessage();
            case DEVICE -> "the device is not a V4L2 capture device, or another process holds it: " + e.getMessage();
        };
    }

    /**
     * The next frame as a BGR image (valid until the next call), or null at the end of a file.
     * A live source that stops delivering throws.
     */
    public Mat next() throws IOException {
        Frame frame;
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new IOException("Reading from " + spec + " failed: " + e.getMessage(), e);
        }
        if (frame == null) {
            if (spec.live()) {
                throw new IOException("The camera source " + spec + " stopped delivering frames");
            }
            return null;
        }
        return converter.convert(frame);
    }

    /** Frames per second the source says it delivers (0 if unknown). */
    public double frameRate() {
        return grabber.getFrameRate();
    }

    public int width() {
        return grabber.getImageWidth();
    }

    public int height() {
        return grabber.getImageHeight();
    }

    public SourceSpec spec() {
        return spec;
    }

    /** Frees the decoder; a second call does nothing (the camera closes a dropped source, then again on stop). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(grabber);
        converter.close();
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (Exception ignored) {
            // Closing a grabber that failed to start can fail again; there is nothing left to free.
        }
    }
}
