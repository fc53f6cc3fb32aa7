package io.cefiot.bench;

import io.cefiot.jpeg.JpegEncoder;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Real JPEGs of a chosen size for the ingest benchmark: seeded sensor-like noise, which
 * JPEG cannot squeeze, encoded at quality 90 with the side found that lands near the size.
 */
final class BenchJpegs {

    private static final float QUALITY = 0.9f;

    private BenchJpegs() {
    }

    /** {@code count} different JPEGs, each within a few per cent of {@code targetBytes}. */
    static List<byte[]> ofSize(int targetBytes, int count, long seed) {
        Random random = new Random(seed);
        // Noise encodes to roughly 2 bytes a pixel at this quality; two corrections land close.
        double pixels = targetBytes / 2.0;
        byte[] probe = encodeNoise(side(pixels), random);
        pixels *= (double) targetBytes / probe.length;
        probe = encodeNoise(side(pixels), random);
        pixels *= (double) targetBytes / probe.length;
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(encodeNoise(side(pixels), random));
        }
        return images;
    }

    private static int side(double pixels) {
        return Math.max(16, (int) Math.round(Math.sqrt(pixels)));
    }

    private static byte[] encodeNoise(int side, Random random) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return JpegEncoder.encode(image, QUALITY);
    }
}
