package io.cefiot.camera;

import io.cefiot.camera.component.CameraHeaders;
import io.cefiot.jpeg.JpegEncoder;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.List;
import java.util.Random;

import org.apache.camel.Exchange;

/**
 * The camera stage's stand-in for tests and load runs (camera.source=synthetic): draws real,
 * varied JPEG scenes (sizes, shapes, noise, quality all vary) for several cameras in turn. Image
 * number n of a given seed is always the same bytes, so runs can be compared by hash.
 */
public class SyntheticCamera {

    private static final int[][] SIZES = {{320, 240}, {640, 480}, {800, 600}, {1024, 768}};

    private final long seed;
    private final List<String> cameraIds;
    private final Clock clock;
    private long captured;

    public SyntheticCamera(long seed, List<String> cameraIds, Clock clock) {
        this.seed = seed;
        this.cameraIds = List.copyOf(cameraIds);
        this.clock = clock;
    }

    /** Captures the next image: the body becomes the JPEG, with the headers the camera: component sets. */
    public synchronized void capture(Exchange exchange) {
        long index = captured++;
        exchange.getIn().setBody(draw(index));
        exchange.getIn().setHeader(CameraHeaders.CAMERA, cameraIds.get((int) (index % cameraIds.size())));
        exchange.getIn().setHeader(CameraHeaders.SEQUENCE, index / cameraIds.size() + 1);
        exchange.getIn().setHeader(CameraHeaders.CAPTURE_TIME, clock.millis());
    }

    /** Draws image number {@code index} of this camera's seed. */
    public byte[] draw(long index) {
        Random random = new Random(seed * 1_000_003L + index);
        int[] size = SIZES[random.nextInt(SIZES.length)];
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, randomColor(random), size[0], size[1], randomColor(random)));
            g.fillRect(0, 0, size[0], size[1]);
            int shapes = 3 + random.nextInt(12);
            for (int i = 0; i < shapes; i++) {
                g.setColor(randomColor(random));
                g.setStroke(new BasicStroke(1 + random.nextInt(6)));
                int x = random.nextInt(size[0]);
                int y = random.nextInt(size[1]);
                int w = 10 + random.nextInt(size[0] / 2);
                int h = 10 + random.nextInt(size[1] / 2);
                switch (random.nextInt(3)) {
                    case 0 -> g.fillOval(x, y, w, h);
                    case 1 -> g.fillRect(x, y, w, h);
                    default -> g.drawLine(x, y, x + w, y + h);
                }
            }
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 18));
            g.drawString("CEFIoT synthetic #" + index, 10, 24);
        } finally {
            g.dispose();
        }
        addSensorNoise(image, random);
        return JpegEncoder.encode(image, 0.6f + random.nextFloat() * 0.35f);
    }

    private static Color randomColor(Random random) {
        return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    private static void addSensorNoise(BufferedImage image, Random random) {
        int amplitude = 4 + random.nextInt(20);
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int delta = random.nextInt(amplitude * 2 + 1) - amplitude;
                int r = clamp(((rgb >> 16) & 0xff) + delta);
                int gr = clamp(((rgb >> 8) & 0xff) + delta);
                int b = clamp((rgb & 0xff) + delta);
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
