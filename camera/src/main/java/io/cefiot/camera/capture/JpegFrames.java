package io.cefiot.camera.capture;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Encodes captured frames as JPEG with OpenCV. */
public final class JpegFrames {

    private JpegFrames() {
    }

    /** The BGR {@code frame} as JPEG bytes at {@code quality} (1-100). */
    public static byte[] encode(Mat frame, int quality) {
        try (BytePointer buffer = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            if (!imencode(".jpg", frame, buffer, params)) {
                throw new IllegalStateException("OpenCV could not encode the frame as JPEG");
            }
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }
}
