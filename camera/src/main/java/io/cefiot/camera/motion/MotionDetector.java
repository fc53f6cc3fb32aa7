package io.cefiot.camera.motion;

import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.nio.file.Files;
import java.util.Optional;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Finds motion frame by frame. The work common to both algorithms happens here:
 * <ol>
 *   <li>the frame is scaled down to the detection width, turned grey and blurred (sensor noise);</li>
 *   <li>a blank frame is a dropout, and the scene is learnt anew after it;</li>
 *   <li>the brightness is normalised to a fixed mean, so a slow global lighting change (dusk, a
 *       cloud) does not look like motion;</li>
 *   <li>the algorithm marks the changed pixels, specks are opened away and the mask is limited to
 *       the region of interest;</li>
 *   <li>if most of the picture changed at once it is a global change, not motion, and the scene is
 *       learnt anew; otherwise the frame shows motion when the changed share reaches the minimum
 *       area.</li>
 * </ol>
 * Not thread-safe: one detector per camera. Holds native memory until closed.
 */
public abstract class MotionDetector implements AutoCloseable {

    /** A frame whose grey levels spread less than this is blank (no signal). */
    static final double DROPOUT_STDDEV = 3.0;
    /** More than this share of the watched area changing at once is a global change. */
    static final double GLOBAL_CHANGE_SHARE = 0.5;
    /** The grey mean every frame is scaled to before it is compared. */
    static final double NORMAL_MEAN = 128.0;

    protected final DetectorSettings settings;
    private final Mat small = new Mat();
    private final Mat grey = new Mat();
    private final Mat normalised = new Mat();
    private final Mat changed = new Mat();
    private final Mat opened = new Mat();
    private final Mat mean = new Mat();
    private final Mat stddev = new Mat();
    private final Mat openKernel = getStructuringElement(MORPH_RECT, new Size(3, 3));
    private Mat roi;
    private double roiArea;
    private int framesSinceReset;

    protected MotionDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    public static MotionDetector create(DetectorSettings settings) {
        return switch (settings.algorithm()) {
            case MOG2 -> new Mog2Detector(settings);
            case DIFF -> new FrameDifferenceDetector(settings);
        };
    }

    /** Looks at the next frame (BGR, any size; the size must not change between frames). */
    public Motion detect(Mat bgr) {
        double scale = (double) settings.detectWidth() / bgr.cols();
        Size detectSize = new Size(settings.detectWidth(), Math.max(1, (int) Math.round(bgr.rows() * scale)));
        resize(bgr, small, detectSize, 0, 0, INTER_AREA);
        cvtColor(small, grey, COLOR_BGR2GRAY);
        GaussianBlur(grey, grey, new Size(5, 5), 0);
        if (roi == null) {
            roi = loadRoi(detectSize);
        }

        meanStdDev(grey, mean, stddev);
        double greyMean = ((DoubleIndexer) mean.createIndexer()).get(0);
        double greySpread = ((DoubleIndexer) stddev.createIndexer()).get(0);
        if (greySpread < DROPOUT_STDDEV) {
            restart();
            return Motion.of(Motion.State.DROPOUT, 0);
        }
        grey.convertTo(normalised, -1, NORMAL_MEAN / Math.max(1.0, greyMean), 0);

        foreground(normalised, changed);
        threshold(changed, changed, 0, 255, THRESH_BINARY);
        morphologyEx(changed, opened, MORPH_OPEN, openKernel);
        if (roi.cols() > 0) {
            bitwise_and(opened, roi, opened);
        }
        double score = countNonZero(opened) / roiArea;

        framesSinceReset++;
        if (framesSinceReset <= settings.warmupFrames()) {
            return Motion.of(Motion.State.WARMING_UP, score);
        }
        if (score > GLOBAL_CHANGE_SHARE) {
            restart();
            return Motion.of(Motion.State.GLOBAL_CHANGE, score);
        }
        if (score < settings.minArea()) {
            return Motion.of(Motion.State.STILL, score);
        }
        Rect r = boundingRect(opened);
        Motion.Box box = new Motion.Box((int) Math.floor(r.x() / scale), (int) Math.floor(r.y() / scale),
                (int) Math.ceil(r.width() / scale), (int) Math.ceil(r.height() / scale));
        return new Motion(Motion.State.MOVING, score, Optional.of(box));
    }

    /** Marks in {@code mask} (8-bit, non-zero = changed) the pixels of {@code frame} that changed. */
    protected abstract void foreground(Mat frame, Mat mask);

    /** Forgets the learnt scene. */
    protected abstract void forget();

    private void restart() {
        forget();
        framesSinceReset = 0;
    }

    private Mat loadRoi(Size detectSize) {
        roiArea = (double) detectSize.width() * detectSize.height();
        if (settings.roiMask().isEmpty()) {
            return new Mat();
        }
        var file = settings.roiMask().get();
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("The region-of-interest mask " + file + " cannot be read");
        }
        Mat image = imread(file.toString(), IMREAD_GRAYSCALE);
        if (image.empty()) {
            throw new IllegalArgumentException("The region-of-interest mask " + file + " is not an image OpenCV can read");
        }
        Mat mask = new Mat();
        resize(image, mask, detectSize, 0, 0, INTER_NEAREST);
        threshold(mask, mask, 0, 255, THRESH_BINARY);
        image.close();
        int watched = countNonZero(mask);
        if (watched == 0) {
            throw new IllegalArgumentException("The region-of-interest mask " + file + " is all black: nothing would be watched");
        }
        roiArea = watched;
        return mask;
    }

    @Override
    public void close() {
        for (Mat m : new Mat[] {small, grey, normalised, changed, opened, mean, stddev, openKernel, roi}) {
            if (m != null) {
                m.close();
            }
        }
    }
}
