package io.cefiot.compact;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.ImageRecord;
import io.cefiot.contract.InvalidRecordException;
import io.cefiot.contract.Sha256;
import io.cefiot.jpeg.JpegEncoder;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Re-encodes an image smaller (at most {@code maxWidth} wide, at the given JPEG quality)
 * to save bandwidth or storage. The pixels change, so the original's hash and size are
 * kept in {@code cefiot.original-sha256} and {@code cefiot.original-size}, and the
 * record's hash headers describe the new bytes.
 */
public class ImageCompactor {

    private final int maxWidth;
    private final float quality;

    public ImageCompactor(int maxWidth, int qualityPercent) {
        this.maxWidth = maxWidth;
        this.quality = qualityPercent / 100f;
    }

    public void compact(Exchange exchange) throws InvalidRecordException, IOException {
        byte[] original = ImageRecord.checkedBody(exchange, ImageHeaders.INGESTED);
        BufferedImage image = decode(exchange, original);
        BufferedImage scaled = scaleToWidth(image);
        byte[] compacted = JpegEncoder.encode(scaled, quality);

        Message in = exchange.getIn();
        // A record compacted twice still names the camera's original.
        if (in.getHeader(ImageHeaders.ORIGINAL_SHA256) == null) {
            in.setHeader(ImageHeaders.ORIGINAL_SHA256, in.getHeader(ImageHeaders.SHA256, String.class));
            in.setHeader(ImageHeaders.ORIGINAL_SIZE, Integer.toString(original.length));
        }
        in.setHeader(ImageHeaders.COMPACTED, scaled.getWidth() + "x" + scaled.getHeight() + " q" + Math.round(quality * 100));
        in.setHeader(ImageHeaders.SHA256, Sha256.hex(compacted));
        in.setHeader(ImageHeaders.SIZE, Integer.toString(compacted.length));
        in.setBody(compacted);
    }

    /** A record that cannot be decoded is refused (dead letter), not retried: it would never decode. */
    private static BufferedImage decode(Exchange exchange, byte[] jpeg) throws InvalidRecordException {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image != null) {
                return image;
            }
        } catch (IOException e) {
            throw new InvalidRecordException("record " + ImageRecord.where(exchange) + " is not a JPEG that can be decoded: "
                    + e.getMessage());
        }
        throw new InvalidRecordException("record " + ImageRecord.where(exchange) + " is not a JPEG that can be decoded");
    }

    private BufferedImage scaleToWidth(BufferedImage image) {
        int width = Math.min(maxWidth, image.getWidth());
        int height = Math.max(1, Math.round(image.getHeight() * (width / (float) image.getWidth())));
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return scaled;
    }
}
