package io.cefiot.ingest;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.contract.SpoolFileName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Turns a spool file into an image record: checks it is a whole JPEG within the size
 * limit, and sets the key and contract headers from its name and bytes. Anything else is
 * an {@link ImageRejectedException}, which the ingest route sends to quarantine.
 */
public class SpoolImageReader {

    private final long maxImageBytes;

    public SpoolImageReader(long maxImageBytes) {
        this.maxImageBytes = maxImageBytes;
    }

    public void read(Exchange exchange) throws ImageRejectedException {
        Message in = exchange.getIn();
        Path file = Path.of(in.getHeader(Exchange.FILE_PATH, String.class));
        String fileName = file.getFileName().toString();
        SpoolFileName name = SpoolFileName.parse(fileName).orElseThrow(() -> new ImageRejectedException(
                RejectionReason.BAD_NAME, "'" + fileName + "' should be " + SpoolFileName.DESCRIPTION));

        byte[] jpeg = readBounded(file);
        checkJpeg(jpeg);

        in.setBody(jpeg);
        in.setHeader(KafkaConstants.KEY, name.camera());
        in.setHeader(ImageHeaders.CAMERA, name.camera());
        in.setHeader(ImageHeaders.SEQUENCE, Long.toString(name.sequence()));
        in.setHeader(ImageHeaders.CAPTURE_TIME, Long.toString(name.captureMillis()));
        in.setHeader(ImageHeaders.SHA256, Sha256.hex(jpeg));
        in.setHeader(ImageHeaders.SIZE, Integer.toString(jpeg.length));
    }

    private byte[] readBounded(Path file) throws ImageRejectedException {
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new ImageRejectedException(RejectionReason.EMPTY, "0 bytes");
            }
            if (size > maxImageBytes) {
                throw new ImageRejectedException(RejectionReason.OVERSIZED, size + " bytes, limit " + maxImageBytes);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageRejectedException(RejectionReason.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void checkJpeg(byte[] jpeg) throws ImageRejectedException {
        if (jpeg.length < 4 || !JpegMarkers.startsWithSoi(jpeg)) {
            throw new ImageRejectedException(RejectionReason.NOT_A_JPEG, "first bytes " + firstBytes(jpeg));
        }
        if (!JpegMarkers.endsWithEoi(JpegMarkers.tail(jpeg))) {
            throw new ImageRejectedException(RejectionReason.TRUNCATED, jpeg.length + " bytes");
        }
    }

    private static String firstBytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            sb.append(String.format("%02X ", bytes[i] & 0xff));
        }
        return sb.toString().trim();
    }
}
