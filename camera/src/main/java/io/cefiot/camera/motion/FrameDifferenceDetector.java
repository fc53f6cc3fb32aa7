package io.cefiot.camera.motion;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import org.bytedeco.opencv.opencv_core.Mat;

/** Frame differencing: cheap, and blind to anything that stops moving. */
final class FrameDifferenceDetector extends MotionDetector {

    private final Mat previous = new Mat();
    private final Mat difference = new Mat();

    FrameDifferenceDetector(DetectorSettings settings) {
        super(settings);
    }

    @Override
    protected void foreground(Mat frame, Mat mask) {
        if (previous.empty()) {
            frame.copyTo(previous);
        }
        absdiff(frame, previous, difference);
        threshold(difference, mask, settings.pixelThreshold(), 255, THRESH_BINARY);
        frame.copyTo(previous);
    }

    @Override
    protected void forget() {
        previous.release();
    }

    @Override
    public void close() {
        previous.close();
        difference.close();
        super.close();
    }
}
