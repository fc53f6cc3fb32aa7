package io.cefiot.camera.motion;

import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/** MOG2 background subtraction: robust to repetitive background movement, costs more per frame. */
final class Mog2Detector extends MotionDetector {

    private BackgroundSubtractorMOG2 model;

    Mog2Detector(DetectorSettings settings) {
        super(settings);
        model = newModel();
    }

    private BackgroundSubtractorMOG2 newModel() {
        // No shadow detection: shadows are marked grey (127), and a moving shadow is motion anyway.
        return createBackgroundSubtractorMOG2(DetectorSettings.MOG2_HISTORY, settings.pixelThreshold(), false);
    }

    @Override
    protected void foreground(Mat frame, Mat mask) {
        model.apply(frame, mask, -1);
    }

    @Override
    protected void forget() {
        model.close();
        model = newModel();
    }

    @Override
    public void close() {
        model.close();
        super.close();
    }
}
