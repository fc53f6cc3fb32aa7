package io.cefiot.camera.video;

import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import io.cefiot.camera.source.FfmpegLog;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Renders a {@link Scene} to a video file with FFmpeg (Motion JPEG in AVI, which every FFmpeg
 * build can write and read back frame-exact).
 */
public final class SceneVideo {

    private SceneVideo() {
    }

    /** Writes {@code scene} to {@code file} (an .avi) and returns the file. */
    public static Path write(Scene scene, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = parent.resolve("." + file.getFileName() + ".part.avi");
        FfmpegLog.errorsOnly();
        try (Mat background = background(scene);
             Mat frame = new Mat(scene.height(), scene.width(), CV_8UC3);
             Mat wide = new Mat();
             Mat noise = new Mat(scene.height(), scene.width(), CV_16SC3);
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
             FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(partial.toFile(), scene.width(), scene.height())) {
            recorder.setFormat("avi");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
            recorder.setFrameRate(scene.fps());
            recorder.setVideoOption("q", "3"); // MJPEG qscale: 2-31, low is near-lossless
            recorder.start();
            setRNGSeed((int) scene.seed());
            for (int f = 0; f < scene.frames(); f++) {
                render(scene, f, background, frame, wide, noise);
                recorder.record(converter.convert(frame));
            }
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("FFmpeg could not write " + file + ": " + e.getMessage(), e);
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static void render(Scene scene, int f, Mat background, Mat frame, Mat wide, Mat noise) {
        boolean dropout = scene.dropouts().stream().anyMatch(d -> d.contains(f));
        if (dropout) {
            frame.put(new Scalar(0, 0, 0, 0));
            return;
        }
        background.copyTo(frame);
        for (Scene.Crossing c : scene.crossings()) {
            if (!c.during().contains(f)) {
                continue;
            }
            double progress = (f - c.during().from() + 0.5) / (c.during().to() - c.during().from());
            int x = (int) Math.round(progress * scene.width());
            int y = (int) Math.round(c.row() * scene.height());
            ellipse(frame, new Point(x, y), new Size(c.size() / 2, c.size()), 0, 0, 360,
                    new Scalar(c.grey(), c.grey(), c.grey(), 0), FILLED, 8, 0);
        }
        double gain = scene.lightFrom() + (scene.lightTo() - scene.lightFrom()) * f / Math.max(1, scene.frames() - 1);
        frame.convertTo(wide, CV_16SC3, gain, 0);
        try (Mat samples = noise.reshape(1);
             Mat zero = new Mat(1, 1, CV_64F, new Scalar(0));
             Mat sigma = new Mat(1, 1, CV_64F, new Scalar(scene.noiseSigma()))) {
            randn(samples, zero, sigma);
        }
        add(wide, noise, wide);
        wide.convertTo(frame, CV_8UC3);
    }

    private static Mat background(Scene scene) {
        Random random = new Random(scene.seed());
        Mat image = new Mat(scene.height(), scene.width(), CV_8UC3, new Scalar(110, 120, 115, 0));
        for (int i = 0; i < 40; i++) {
            int w = 20 + random.nextInt(scene.width() / 3);
            int h = 20 + random.nextInt(scene.height() / 3);
            int x = random.nextInt(scene.width() - 10);
            int y = random.nextInt(scene.height() - 10);
            rectangle(image, new Rect(x, y, Math.min(w, scene.width() - x), Math.min(h, scene.height() - y)),
                    new Scalar(60 + random.nextInt(140), 60 + random.nextInt(140), 60 + random.nextInt(140), 0), FILLED, 8, 0);
        }
        GaussianBlur(image, image, new Size(9, 9), 0);
        return image;
    }
}
